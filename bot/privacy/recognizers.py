"""Candor's own Presidio recognizers: the shop's identifiers, UK and US addresses, and names.

Presidio ships recognizers for emails, phone and card numbers, IBANs and national IDs; these add
what a shop's customers type that Presidio does not know, and widen two of Presidio's patterns
(emails, cards) that miss real values. Each is data (patterns, word lists) with as little code
as possible, in the manner of Presidio's own recognizers.

There is no statistical NER model (Candor runs spaCy blank, nothing is downloaded), so names are
found only where the wording gives them away: an introduction ("my name is ..."), a title
("Mrs ..."), or a common given name or surname from the lists below. A name in none of those
shapes is missed; `candor eval-redaction` reports how often.

Six-digit order numbers are deliberately *not* recognised: they are the shop's reference, needed
to explain decisions, and say nothing about who the customer is.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from typing import Iterable, List, Optional, Sequence, Tuple

import regex as re
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, EmailRecognizer
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token


class CustomerNumberRecognizer(PatternRecognizer):
    """Fernleaf customer numbers: `C` and five digits (C10001)."""

    PATTERNS = [Pattern("customer number", r"\bC\d{5}\b", 0.6)]
    CONTEXT = ["customer", "account", "number", "reference"]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="CUSTOMER_NUMBER",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )


class EmailAddressRecognizer(EmailRecognizer):
    """Presidio's email recognizer (domain checked against the public suffix list), with IDN domains.

    Presidio's pattern allows one hyphen between the letters of a domain, so internationalised
    domains ("xn--bcher-kva.de") and names like "a--b.com" slipped through.
    """

    PATTERNS = [
        Pattern(
            "email address",
            r"\b((([!#$%&'*+\-/=?^_`{|}~\w])|([!#$%&'*+\-/=?^_`{|}~\w][!#$%&'*+\-/=?^_`{|}~\.\w]{0,}"
            r"[!#$%&'*+\-/=?^_`{|}~\w]))[@]\w+(-+\w+|\.\w+)*\.\w+(-+\w+|\.\w+)*)\b",
            0.5,
        )
    ]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(patterns=patterns or self.PATTERNS, context=context)


class CardNumberRecognizer(CreditCardRecognizer):
    """Card numbers of 12 to 19 digits, Luhn-checked by Presidio's own card recognizer.

    Presidio's pattern predates Mastercard's 2-series (2221-2720) and misses 19-digit cards;
    these patterns take any such length, written whole or in the groups printed on cards.
    Order numbers (six digits) are far too short to match.
    """

    PATTERNS = [
        Pattern("card number, digits only", r"\b\d{12,19}\b", 0.3),
        Pattern("card number in groups of four", r"\b\d{4}(?:[ -]\d{4}){2}[ -]\d{1,7}\b", 0.3),
        Pattern("card number in American Express groups", r"\b\d{4}[ -]\d{6}[ -]\d{4,5}\b", 0.3),
    ]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(patterns=patterns or self.PATTERNS, context=context)


class PhoneShapedNumberRecognizer(PatternRecognizer):
    """Numbers grouped like a phone number that python-phonenumbers cannot place.

    Presidio's phone recognizer accepts only numbers valid in the configured regions; a number
    from elsewhere without its country code ("call me on 0494 92 82 32") slips through. This
    shape alone is too weak to trust, so it counts only near words like "phone" or "call".
    """

    PATTERNS = [
        Pattern(
            "digits grouped like a phone number",
            r"(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}"
            r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w-])",
            0.1,
        )
    ]
    CONTEXT = ["phone", "telephone", "tel", "mobile", "cell", "cellphone", "landline", "fax", "call", "ring", "text", "whatsapp", "sms"]
    # Dates are grouped digits too.
    DATE = re.compile(r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$")

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        digits = sum(character.isdigit() for character in pattern_text)
        if not 7 <= digits <= 15 or self.DATE.match(pattern_text):
            return False
        return None


# Outward code (area letters, district digits) and inward code (digit, two letters): "AC1 4RT".
UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|GIR\s?0AA)"


class UkPostcodeRecognizer(PatternRecognizer):
    """UK postcodes, by shape (fictional demo areas like AC or FB included)."""

    PATTERNS = [Pattern("UK postcode", rf"\b{UK_POSTCODE}\b", 0.5)]
    CONTEXT = ["postcode", "post code", "address"]

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="POSTCODE",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )


STREET_TYPES = (
    "street st road rd lane ln avenue ave drive dr close way walk court ct place pl crescent cres "
    "gardens gdns grove terrace square sq hill row mews parade boulevard blvd highway hwy route "
    "quay wharf park view rise green vale yard gate circle cir parkway pkwy trail path pike alley "
    "loop plaza heights embankment broadway causeway promenade wynd brae"
).split()
# Most of Europe names the street first and numbers it after: "ul. Narewska 94", "Calle Mayor 12",
# "Hauptstraße 12". The type is a word before the name, or a suffix of the name. ("Via" is left
# out: "via Royal Mail 48" is English.)
STREET_PREFIXES = "ul ulica viale rue calle avenida rua plac piazza carrer strada".split()
STREET_SUFFIXES = "straße strasse gasse weg platz allee vej gade gatan vägen laan straat plein utca katu".split()
# Words that cannot be part of a street's name, so "wait 5 days to park it" is not an address.
NOT_STREET_NAME_WORDS = "a an and at by for from in is it my of on or the to was with days weeks months years hours minutes".split()
# Words near an address that make a bare "Name 12" worth redacting.
ADDRESS_CONTEXT = ["address", "live", "lives", "living", "deliver", "delivery", "send", "ship", "shipping", "moved", "post"]

_NUMBER = r"\d{1,5}[A-Z]?(?:[-/]\d{1,5}[A-Z]?)?"
# A bare "box 2" is more often a parcel than a post box, so only "PO Box" counts.
UNIT = r"(?:flat|apartment|apt|unit|suite|ste|room|floor|p\.?\s?o\.?\s?box)\.?\s?#?\s?\d+[A-Z]?(?:/\d+)?"
_NAME_WORD = rf"(?!(?:{'|'.join(NOT_STREET_NAME_WORDS)})\b)[^\W\d_][\w'’.-]*"
_CAPITALISED_WORD = r"(?-i:\p{Lu}[\p{L}'’.-]+)(?!\w)"
_STREET_TYPE = rf"(?:{'|'.join(STREET_TYPES)})\b\.?(?:\s+(?-i:[NS][EW]?|[EW])\b)?"
# After the street: flats and suites, town, county or state, then a UK postcode or a US ZIP code,
# separated by commas, spaces or line breaks. Town words must be capitalised, so
# "14 Mill Lane, please send it there" stops at the street.
_LOCALITY = (
    rf"(?:(?:\s*,\s*|\s+)(?:{UNIT}|{_CAPITALISED_WORD}(?:\s+{_CAPITALISED_WORD}){{0,3}}"
    rf"|{UK_POSTCODE}\b|\d{{5}}(?:-\d{{4}})?\b)){{0,6}}"
)


class StreetAddressRecognizer(PatternRecognizer):
    """Street addresses as customers write them, with their flat, town and postcode.

    UK and US: "14 Larkspur Lane", "Flat 3, 22 Quayside Walk, Fernbridge FB2 7LN",
    "1600 Pennsylvania Avenue NW, Washington, DC 20500", "PSC 4095, Box 8316, APO AE 85103".
    Continental: "Hauptstraße 12", "ul. Narewska 94, Poznań"; and, near words like "address" or
    "deliver", any "Name 12" (a capitalised name and a house number).
    """

    PATTERNS = [
        Pattern(
            "number and street",
            rf"\b(?:{UNIT}(?:\s*,\s*|\s+))?{_NUMBER},?\s+(?:{_NAME_WORD}\s+){{0,3}}?{_STREET_TYPE}{_LOCALITY}",
            0.6,
        ),
        Pattern(
            "street type first",
            rf"\b(?:\d{{1,5}}\s+)?(?:{'|'.join(STREET_PREFIXES)})\b\.?\s+(?:{_NAME_WORD}\s+){{1,3}}?{_NUMBER}\b{_LOCALITY}",
            0.6,
        ),
        Pattern(
            "number, street type first",
            rf"\b{_NUMBER}\s+(?:{'|'.join(STREET_PREFIXES)})\b\.?(?:\s+{_NAME_WORD}){{1,3}}{_LOCALITY}",
            0.6,
        ),
        Pattern(
            "street with suffix, then number",
            rf"\b(?:\d{{1,5}}\s+)?[^\W\d_]*(?:{'|'.join(STREET_SUFFIXES)})\s+{_NUMBER}\b{_LOCALITY}",
            0.6,
        ),
        Pattern(
            "US military address",
            r"\b(?:psc|cmr|unit|usns|usnv|uss|uscgc)\s+[\w-]+(?:\s*,\s*box\s+\d+)?(?:\s*,\s*|\s+)"
            r"(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5}\b",
            0.6,
        ),
        Pattern("flat, suite or PO box", rf"\b{UNIT}\b", 0.45),
        # Too common a shape to trust alone ("Windows 10"); redacted only near ADDRESS_CONTEXT words.
        Pattern(
            "name and number, near address words",
            rf"\b(?:\d{{1,5}}\s+)?{_CAPITALISED_WORD}(?:\s+{_CAPITALISED_WORD}){{0,2}}\s+\d{{1,4}}[A-Z]?\b{_LOCALITY}",
            0.1,
        ),
    ]
    CONTEXT = ADDRESS_CONTEXT

    def __init__(self, patterns: Optional[List[Pattern]] = None, context: Optional[List[str]] = None) -> None:
        super().__init__(
            supported_entity="STREET_ADDRESS",
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language="en",
        )


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class PersonNameRecognizer(LocalRecognizer):
    """People's names where the wording gives them away; there is no NER model to ask.

    Five shapes, strongest first: after an introduction ("my name is sam", "call me Sam"),
    after a title ("Mrs Okafor"), after a casual introduction when the word is a known given
    name ("I'm priya"), a known given name or surname next to another capitalised word
    ("Grace Whitlock", "Thomas Wright"), and two capitalised words around a middle initial
    ("Zora K. Adamczyk"). Given names that are also everyday words ("Grace", "Will", "Olive")
    count only with a capitalised surname or an introduction. Accents are ignored when looking
    names up ("José" is "jose").
    """

    ENTITY = "PERSON"
    INTRODUCTIONS = (
        "my name is", "my name's", "my full name is", "my first name is", "my surname is", "my last name is",
        "name is", "name's", "call me", "i go by", "signed", "regards", "kind regards", "best wishes",
        "yours sincerely", "yours faithfully", "in the name of", "addressed to", "account holder is",
    )
    CASUAL_INTRODUCTIONS = ("i'm", "i am", "im", "this is", "it's", "its", "hi", "hello", "hey", "dear", "thanks", "thank you")
    TITLES = _words("mr mrs ms miss mx dr prof professor sir dame lady lord rev reverend fr capt captain")
    # Words that follow "my name is" without being a name ("my name is spelled wrong").
    NOT_NAMES = _words(
        "spelled spelt wrong incorrect misspelled missing showing shown displayed different correct right "
        "still also listed printed written changed updated typed same fine ok okay not actually"
    )
    GIVEN_NAMES = _words(
        # English-speaking countries
        "aaron abigail adam adrian aidan alan albert alex alexander alexandra alfie alice alison amanda amelia amy "
        "andrew angela anna anne annie anthony archie arthur ashley barbara benjamin beth bethany brandon brenda "
        "brian bridget callum cameron carl caroline catherine charles charlie charlotte chloe christine christopher "
        "claire connor craig daniel danielle david deborah declan denise dennis derek diana diane dominic donald "
        "donna dorothy douglas dylan edward eleanor elizabeth ella ellie emily emma eric ethan evelyn fiona florence "
        "francesca freddie freya gary gavin george georgia gillian gordon graham gregory hannah harriet harrison "
        "harvey helen henry hugh ian imogen isaac isabel isabella isla jacob james jamie janet jason jeffrey "
        "jennifer jeremy jessica joan joanne joe john jonathan joseph joshua julia julie justin karen kate katherine "
        "kathleen katie keith kelly kenneth kevin kieran kimberly laura lauren leah leo lewis liam linda lisa "
        "logan louise lucy luke lydia mabel maisie margaret maria martha martin mary matilda matthew megan melissa "
        "michael michelle mildred molly nancy natalie nathan neil nicholas nicola niamh noah oliver oscar owen "
        "pamela patricia patrick paul paula peter philip phoebe poppy rachel rebecca richard robert roger ronald "
        "rosie ruth ryan samantha samuel sandra sarah scott sean sharon shirley simon sophia sophie stephanie "
        "stephen steven stuart susan teresa thomas timothy tobias tyler valerie vanessa victoria vincent walter "
        "wendy william zachary zoe "
        # Welsh, Scottish and Irish
        "aled angharad bethan bronwen cerys catrin dafydd eilidh eilish emrys gethin gwen gwyneth ifan iona "
        "morag rhiannon rhys seren siobhan sian tomos aoife ciara conor eoin oisin padraig saoirse seamus "
        # South Asian
        "aarav amit anil anjali arjun deepak divya gita harpreet kavita krishna lakshmi manoj meera mohan "
        "neha nikhil pooja priya rahul rajesh ravi rohan sanjay shreya sunita suresh vikram "
        # Arabic, Persian, Turkish
        "ahmed ali amina aisha bilal farah fatima hamza hassan hussein ibrahim karim khalid layla leila mariam "
        "mohammed muhammad mustafa nadia omar rania reza samir sara tariq yasmin yusuf zainab zara emre mehmet "
        # African
        "abena adebayo ade adaeze chidi chinedu chioma femi folake ifeoma kofi kwame kwabena ngozi nkechi "
        "obinna oluwaseun tunde uchenna yaw zanele thabo sipho amara "
        # East and South-East Asian
        "akira haruto hiroshi kenji yuki yuna sakura takeshi wei jing xiaoming li mei ming hua jun "
        "minjun seoyeon jiwoo hyun nguyen thanh linh anh duc "
        # European
        "agnieszka aleksandra andrzej anja bartosz dorota ewa filip francesco giulia giuseppe hans ingrid "
        "jakub jan jens johan juan katarzyna klaus lars lukas magdalena marco marek marta matteo mateusz miguel "
        "nils olga pablo pavel piotr sergei sofia sven tomasz ursula vladimir wojciech zofia lucia elena carmen "
        "javier diego alejandro isabel ines joao pedro luis jorge anders astrid bjorn henrik karin mikko "
        "abby adele agnes aimee alana alfred alistair angus annabel antonia arlo ava barry beatrice becky bella "
        "benedict bernard beverley brendan bruce bryony caitlin cassandra cecilia celia cheryl clara clive colin "
        "courtney cynthia damian darren debbie delia desmond dominique doreen duncan edith edwin eileen elaine "
        "eliza ellen eloise elsie eugene evan felicity felix fergus frances francis frederick gabriel gabrielle "
        "gemma geoffrey gerald gerard gina gloria greg hayley heidi hector herbert howard hugo irene isobel "
        "jacqueline jake janice jasmine jeanette jenna jill joanna jocelyn joel jonah jordan josephine joyce "
        "judith judy julian juliet kaitlyn katrina kayleigh kirsty kyle laurence leonard leslie lillian lionel "
        "lorna lorraine louis lucas madeleine maggie malcolm marcus margot marian marie marilyn marion marjorie "
        "maureen maurice maxine melanie mia miriam mitchell monica morgan muriel nadine natasha nathaniel nigel "
        "noel nora norman olivia pauline penelope percy phyllis quentin rachael ralph raymond regina rhoda rita "
        "rodney roland rory rosemary roy rupert sally shane sheila sidney sonia stacey stanley stella sylvia "
        "tamsin tanya tara terry theo theodore tina toby tracey travis trevor vera veronica vivian wayne wilfred "
        "winifred yvonne "
        "adriana alberto alejandra alicia alvaro ana andres beatriz camila carlos carolina catalina cristina "
        "daniela eduardo emilio enrique esteban fernando francisco gabriela gonzalo guillermo ignacio isabela "
        "jaime jose josefa juana julio leticia lorena luisa manuel marcela mariana mario marisol martina mercedes "
        "natalia nicolas paola rafael ramon raul ricardo roberto rocio rodrigo salvador santiago sergio valentina "
        "vicente ximena alessandro alessia bianca carlo chiara davide elisa enzo federica federico gianluca "
        "giorgio giovanni lorenzo luca luigi massimo paolo pietro riccardo roberta salvatore simona stefano "
        "vittoria goncalo rui tiago "
        "andreas annika birgit dieter elke erik franz friedrich gerhard greta gunter heinz helga jurgen karl "
        "katrin maximilian niklas petra ralf sabine sebastian stefan susanne ulrich uwe werner wolfgang daan "
        "femke jeroen joost lotte maarten pieter sanne sander willem freja gustav ida linnea magnus maja mikkel "
        "oskar sigrid soren tove ulf juha jukka kari pekka timo tuomas aino eeva hanna "
        "agata beata dariusz ewelina grzegorz iwona jacek jolanta kamil krzysztof lukasz maciej malgorzata "
        "marcin michal pawel przemyslaw rafal renata slawomir tadeusz zbigniew jana jiri josef lucie milan "
        "miroslav ondrej petr tereza vaclav zdenek aleksandr alexei anastasia andrei anton boris dmitri "
        "ekaterina igor irina ivan katya mikhail nikolai oksana sergey svetlana tatiana viktor yulia bence "
        "eszter gabor istvan janos laszlo zoltan zsofia "
        "alexandros dimitris eleni georgios giorgos katerina konstantinos nikos panagiotis vasilis yiannis "
        "ahmet ayse elif emine fatma hasan huseyin murat ozlem zeynep "
        "abdullah adel amal amir asma dalia fadi hala hani huda jamal khaled lina mahmoud majid mona nabil "
        "nour rami rashid salma sami tarek walid youssef zaid "
        "aminata abdoulaye bongani chiamaka efua emeka funmilayo kwesi lerato musa nomvula olumide segun "
        "themba thandiwe yetunde "
        "aiko daisuke haruka hinata kaito kazuki naoki riku ryo satoshi shota sora takumi yui yuto chen hao "
        "jie lin qiang yong jisoo jihoon seojun hyejin minji arun ashok gaurav kiran lalit naveen prakash rajiv "
        "rakesh sachin sanjana shivani sneha sonali swati tanvi varun vijay tuan huong minh "
        # The demo shop's fictional customers
        "ada"
    )
    # Given names that are also everyday words: names only beside a surname or after an introduction.
    AMBIGUOUS_GIVEN_NAMES = _words(
        "will may grace rose mark bill faith hope joy june april august summer autumn dawn sky sunny drew "
        "chase hunter miles jack frank guy pat ray rob sue art dean don gene lily daisy iris holly ivy violet "
        "olive sage pearl ruby amber crystal jade ginger penny robin ash basil herb sandy bob carol christian "
        "earl king major lane page reed cliff dale glen heather hazel jay kay max nick norm pierce sterling rod "
        "wade woody dev sam harry ben tom tim jim ken les ted neil rich victor nat al angel precious maxim rex"
    )
    SURNAMES = _words(
        "smith jones williams taylor brown davies evans wilson thomas roberts johnson lewis walker robinson "
        "wood thompson white watson jackson wright green harris cooper king lee martin clarke james morgan "
        "hughes edwards hill moore clark harrison scott young morris hall ward turner carter phillips mitchell "
        "patel adams campbell anderson allen cook bailey parker miller davis murphy price bell baker griffiths "
        "kelly simpson marshall collins bennett cox richardson fox gray rose chapman hunt robertson shaw "
        "reynolds lloyd ellis richards russell wilkinson khan graham stewart reid murray powell palmer holmes "
        "rogers stevens walsh hunter thomson matthews ross owen mason knight kennedy butler saunders cole "
        "pearce dean foster harvey hudson gibson mills berry barnes pearson kaur begum singh ahmed ali hussain "
        "shah rahman akhtar okafor adeyemi okonkwo mensah osei nguyen chen wang zhang liu yang wu huang zhao "
        "kim park choi garcia martinez rodriguez hernandez lopez gonzalez perez sanchez ramirez torres "
        "silva santos ferreira pereira costa oliveira rossi russo ferrari esposito bianchi romano colombo "
        "muller schmidt schneider fischer weber meyer wagner becker schulz hoffmann kowalski nowak wisniewski "
        "wojcik kaminski lewandowski novak svoboda dvorak horvath nagy andersson johansson karlsson nilsson "
        "larsen hansen nielsen jensen pedersen virtanen korhonen ivanov petrov smirnov obrien oconnor "
        "murphy byrne ryan doyle mccarthy gallagher doherty kennedy lynch quinn macdonald macleod mackenzie "
        "fraser maclean llewellyn pritchard vaughan whitlock thornbury macrae raman sullivan wallace sharma "
        "gupta kumar verma mehta joshi iyer reddy nair chowdhury malik qureshi siddiqui"
    )
    # Surnames that are also street types: "Larkspur Lane" is an address, not a person.
    _STREET_WORDS = frozenset(STREET_TYPES)

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name="PersonNameRecognizer", supported_language="en")

    def load(self) -> None:
        self._introductions = _phrase_regex(self.INTRODUCTIONS)
        self._casual = _phrase_regex(self.CASUAL_INTRODUCTIONS)
        self._all_given_names = self.GIVEN_NAMES | self.AMBIGUOUS_GIVEN_NAMES

    def analyze(
        self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None
    ) -> List[RecognizerResult]:
        if self.ENTITY not in entities or nlp_artifacts is None or not nlp_artifacts.tokens:
            return []
        doc: Doc = nlp_artifacts.tokens
        starts = [token.idx for token in doc]
        found: List[Tuple[int, int, float, str]] = []
        for match in self._introductions.finditer(text):
            span = self._name_from(doc, bisect_left(starts, match.end()), any_case=True)
            found += [(*span, 0.85, "introduction")] if span else []
        for match in self._casual.finditer(text):
            index = bisect_left(starts, match.end())
            if index < len(doc) and self._is_given_name(doc[index]):
                span = self._name_from(doc, index, any_case=True, max_words=1, then_capitalised=2)
                found += [(*span, 0.75, "casual introduction and a given name")] if span else []
        for token in doc:
            found += self._after_title(doc, token) + self._known_name(doc, token) + self._with_initial(doc, token)
        return [self._result(start, end, score, reason) for start, end, score, reason in found]

    def _is_given_name(self, token: Token) -> bool:
        """A listed given name; one that is also an everyday word only when capitalised ("its page")."""
        name = _fold(token.text)
        return name in self.GIVEN_NAMES or (name in self.AMBIGUOUS_GIVEN_NAMES and _is_capitalised(token))

    def _after_title(self, doc: Doc, token: Token) -> List[Tuple[int, int, float, str]]:
        if token.lower_.rstrip(".") not in self.TITLES:
            return []
        index = token.i + 1
        if index < len(doc) and doc[index].text == "." and not token.whitespace_:
            index += 1
        # "Mrs okafor" but not "200 ms later": a lower-case title needs a capitalised name.
        span = self._name_from(doc, index, any_case=_is_capitalised(token), max_words=1, then_capitalised=2)
        return [(*span, 0.8, "title")] if span else []

    def _known_name(self, doc: Doc, token: Token) -> List[Tuple[int, int, float, str]]:
        """A listed given name (with what follows it) or a listed surname (with what precedes it)."""
        if not self._is_name_word(token):
            return []
        name = _fold(token.text)
        found: List[Tuple[int, int, float, str]] = []
        if name in self._all_given_names:
            if _is_capitalised(token):
                span = self._name_from(doc, token.i, any_case=False, max_words=1, then_capitalised=2)
                long_enough = span is not None and span[1] > token.idx + len(token.text)
                if span and (long_enough or name not in self.AMBIGUOUS_GIVEN_NAMES):
                    found.append((*span, 0.7, "known given name"))
            elif name not in self.AMBIGUOUS_GIVEN_NAMES and token.i + 1 < len(doc):
                surname = doc[token.i + 1]
                if _fold(surname.text) in self.SURNAMES and self._is_name_word(surname):
                    found.append((token.idx, _end(surname), 0.6, "known given name and surname"))
        if name in self.SURNAMES and name not in self._STREET_WORDS and _is_capitalised(token) and token.i > 0:
            given = doc[token.i - 1]
            if _is_capitalised(given) and self._is_name_word(given):
                found.append((given.idx, _end(token), 0.6, "known surname"))
        return found

    def _with_initial(self, doc: Doc, token: Token) -> List[Tuple[int, int, float, str]]:
        """Given name, middle initial, surname: "Mijail C. Adomo" is a person whatever the names."""
        if not (_is_capitalised(token) and self._is_name_word(token)) or not _is_initial(doc, token.i + 1):
            return []
        after = token.i + (3 if token.i + 2 < len(doc) and doc[token.i + 2].text == "." else 2)
        if after < len(doc) and _is_capitalised(doc[after]) and self._is_name_word(doc[after]):
            return [(token.idx, _end(doc[after]), 0.6, "name with a middle initial")]
        return []

    def _name_from(
        self, doc: Doc, index: int, *, any_case: bool, max_words: int = 3, then_capitalised: int = 0
    ) -> Optional[Tuple[int, int]]:
        """The character span of the name starting at token `index`, if one starts there.

        Takes up to `max_words` name words (any case, or capitalised only), then up to
        `then_capitalised` more that are capitalised, or known surnames when the customer writes
        in lower case ("i'm priya sharma" but not "Olive wood"); initials ("C.") may sit between.
        """
        words: List[Token] = []
        limit = max_words + then_capitalised
        while index < len(doc) and len(words) < limit:
            token = doc[index]
            lower_case_surname = bool(words) and not _is_capitalised(words[0]) and _fold(token.text) in self.SURNAMES
            if self._is_name_word(token) and (
                (any_case and len(words) < max_words) or _is_capitalised(token) or lower_case_surname
            ):
                words.append(token)
                index += 1
            elif words and _is_initial(doc, index):
                index += 2 if index + 1 < len(doc) and doc[index + 1].text == "." else 1
            elif words and token.text in ("-", "'", "’") and not doc[index - 1].whitespace_ and not token.whitespace_:
                index += 1  # double-barrelled: Smith-Jones
            else:
                break
        if not words:
            return None
        return words[0].idx, words[-1].idx + len(words[-1].text)

    def _is_name_word(self, token: Token) -> bool:
        text = token.text.replace("'", "").replace("’", "")
        lower = token.lower_
        return (
            len(text) >= 2
            and text.isalpha()
            and lower not in STOP_WORDS
            and lower not in self.NOT_NAMES
            and lower.rstrip(".") not in self.TITLES
        )

    def _result(self, start: int, end: int, score: float, reason: str) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=self.name, original_score=score, textual_explanation=f"person's name: {reason}"
        )
        return RecognizerResult(self.ENTITY, start, end, score, analysis_explanation=explanation)


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern:
    """Any of `phrases` as whole words, typed with either apostrophe, then spaces or a comma."""
    alternatives = sorted((re.escape(p).replace("'", "['’]") for p in phrases), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b[\s,:]*", re.IGNORECASE)


def _fold(word: str) -> str:
    """Lower case without accents, so "José" is found as "jose" in the lists."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower()


def _end(token: Token) -> int:
    return token.idx + len(token.text)


def _is_capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


def _is_initial(doc: Doc, index: int) -> bool:
    """A middle initial: one capital letter, maybe with its full stop, with more name after it."""
    if index + 1 >= len(doc):
        return False
    text = doc[index].text.rstrip(".")
    return len(text) == 1 and text.isupper()


def candor_recognizers() -> Sequence[LocalRecognizer]:
    """Candor's recognizers: its own, and Presidio's email and card recognizers with wider patterns."""
    return (
        EmailAddressRecognizer(),
        CardNumberRecognizer(),
        PhoneShapedNumberRecognizer(),
        CustomerNumberRecognizer(),
        UkPostcodeRecognizer(),
        StreetAddressRecognizer(),
        PersonNameRecognizer(),
    )
