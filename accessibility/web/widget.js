/*
 * Candor's web chat widget: plain JavaScript (ES2019), no dependencies, no build step.
 *
 * Embed it with one script tag (see README.md beside this file):
 *   <script src="https://assistant.example/webhooks/web/widget.js"
 *           data-title="Fernleaf Home help" data-accent="#1d5c3f" defer></script>
 *
 * Rules this file keeps, because they are what make it safe and accessible:
 * - Text from the customer, the assistant or a person is only ever set with textContent; links are
 *   built as elements, and only from the assistant's own messages.
 * - The transcript is a role="log" region that only ever grows: each message is appended once and
 *   announced once. Status changes (typing, a person joining) go to a separate role="status".
 * - Nothing is stored in the browser until the customer sends their first message; then only the
 *   conversation id and the chosen wording, in sessionStorage (no cookies).
 */
(function (root) {
  'use strict';

  var DEFAULT_ACCENT = '#1d5c3f';
  // The header, the launcher and the customer's messages put this colour behind the accent.
  var ON_ACCENT = '#ffffff';
  var MIN_TEXT_CONTRAST = 4.5;
  var WHY_MESSAGE = 'why?';
  var PERSON_PAYLOAD = '/contact_human_agent';
  var WRONG_ANSWER_PAYLOAD = '/report_wrong_answer';
  var TYPING_DELAY_MS = 400;
  // The header that carries a conversation's session secret, both ways (bot/ownership.py).
  var SECRET_HEADER = 'Candor-Session-Secret';
  var STARTED_AGAIN = 'this chat could not be continued, so a new one has started. Please send it again';
  var MODES = ['standard', 'plain', 'screen_reader'];
  var THEMES = ['auto', 'light', 'dark', 'high-contrast'];
  // The disclosure's words all come from the server (/notice: the policy's notice, or a short
  // disclosure from the domain if the policy cannot be read). If the server cannot be reached at all,
  // nothing can answer, so the widget says only that, honestly, in the live region; the header says
  // "Automated assistant" throughout, and the disclosure comes first in the first reply once it can.
  var UNREACHABLE = 'We could not reach the assistant. Check your connection, then send a message to start.';

  // ---------------------------------------------------------------- colour contrast (WCAG 2.2)

  /** [r, g, b] of a "#rgb" or "#rrggbb" colour, or null for anything else. */
  function parseHexColour(colour) {
    var match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(colour || '').trim());
    if (!match) return null;
    var hex = match[1];
    if (hex.length === 3) hex = hex.replace(/./g, function (digit) { return digit + digit; });
    return [0, 2, 4].map(function (at) { return parseInt(hex.slice(at, at + 2), 16); });
  }

  /** WCAG relative luminance of an sRGB colour given as [r, g, b] in 0..255. */
  function relativeLuminance(rgb) {
    var linear = rgb.map(function (value) {
      var channel = value / 255;
      return channel <= 0.04045 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  }

  /** The WCAG contrast ratio (1 to 21) of two hex colours, or null if either is not one. */
  function contrastRatio(first, second) {
    var a = parseHexColour(first);
    var b = parseHexColour(second);
    if (!a || !b) return null;
    var lighter = Math.max(relativeLuminance(a), relativeLuminance(b));
    var darker = Math.min(relativeLuminance(a), relativeLuminance(b));
    return (lighter + 0.05) / (darker + 0.05);
  }

  /** The accent to use: the page's choice if white text on it is readable, else the default. */
  function acceptedAccent(requested, warn) {
    if (requested === undefined || requested === null || requested === '') return DEFAULT_ACCENT;
    var ratio = contrastRatio(requested, ON_ACCENT);
    if (ratio === null) {
      warn('Candor chat: data-accent="' + requested + '" is not a colour like "#1d5c3f"; using ' + DEFAULT_ACCENT + '.');
      return DEFAULT_ACCENT;
    }
    if (ratio < MIN_TEXT_CONTRAST) {
      warn(
        'Candor chat: data-accent="' + requested + '" gives white text a contrast of ' + ratio.toFixed(2) +
        ':1, below the ' + MIN_TEXT_CONTRAST + ':1 WCAG AA needs; choose a darker colour. Using ' + DEFAULT_ACCENT + '.'
      );
      return DEFAULT_ACCENT;
    }
    return requested.trim();
  }

  // ---------------------------------------------------------------- safe text and links

  var MARKDOWN_LINK = /\[([^\]\n]+)\]\(([^)\s]+)\)/g;

  /** A URL fit to be a link in the assistant's message, or null (only https: and mailto:). */
  function safeHref(address) {
    try {
      var url = new URL(address);
      return url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function visuallyHidden(text) {
    return element('span', 'visually-hidden', text);
  }

  /** A paragraph of the assistant's text: plain text, with markdown links [purpose](https://...). */
  function paragraphWithLinks(text) {
    var paragraph = element('p', 'text');
    var last = 0;
    text.replace(MARKDOWN_LINK, function (whole, purpose, address, at) {
      var href = safeHref(address);
      if (!href) return whole;
      paragraph.appendChild(document.createTextNode(text.slice(last, at)));
      var link = element('a', 'link', purpose);
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.appendChild(element('span', 'new-tab', ' (opens in a new tab)'));
      paragraph.appendChild(link);
      last = at + whole.length;
      return whole;
    });
    paragraph.appendChild(document.createTextNode(text.slice(last)));
    return paragraph;
  }

  /** Paragraphs of `text`, as plain text only (a customer's or a person's words). */
  function paragraphs(text, withLinks) {
    var box = element('div', 'body');
    String(text).split(/\n{2,}/).forEach(function (part) {
      if (!part.trim()) return;
      box.appendChild(withLinks ? paragraphWithLinks(part) : element('p', 'text', part));
    });
    return box;
  }

  // ---------------------------------------------------------------- configuration

  function randomId() {
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (byte) { return ('0' + byte.toString(16)).slice(-2); }).join('');
  }

  function configuration(script) {
    var data = script ? script.dataset : {};
    var scriptUrl = script && script.src ? new URL(script.src, document.baseURI) : new URL(document.baseURI);
    var server = (data.serverUrl || scriptUrl.origin).replace(/\/+$/, '');
    var theme = THEMES.indexOf(data.theme) >= 0 ? data.theme : 'auto';
    return {
      server: server,
      endpoint: server + '/webhooks/web/',
      styles: new URL('widget.css', scriptUrl).href,
      title: (data.title || 'Customer service').trim(),
      launcherText: (data.launcherText || 'Chat with us').trim(),
      accent: acceptedAccent(data.accent, function (warning) { root.console.warn(warning); }),
      theme: theme,
      storageKey: 'candor-web-chat:' + server
    };
  }

  // ---------------------------------------------------------------- the widget

  function Widget(config) {
    this.config = config;
    this.sender = null;          // made on the first message, or restored after a reload
    this.secret = null;          // the conversation's session secret, from the server's first reply
    this.mode = 'standard';
    this.turn = 0;               // how many messages the customer has sent on this page
    this.agent = null;           // the person from the team now in the conversation, if any
    this.events = null;          // the EventSource for pushed messages
    this.opened = false;
    this.introduced = Promise.resolve();
    this.sending = Promise.resolve();
    this.shownDisclosures = [];
    this.messageCount = 0;
    this.unreadCount = 0;
    this.whyTargets = {};        // customer turn of a "why?" -> the turn whose answers it asked about
    this.messageIds = {};        // customer turn -> the id its message was sent with
    this.restored = this.restore();
  }

  Widget.prototype.restore = function () {
    var saved = null;
    try {
      saved = JSON.parse(root.sessionStorage.getItem(this.config.storageKey) || 'null');
    } catch (error) {
      saved = null;
    }
    if (!saved || typeof saved.sender !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(saved.sender)) return false;
    this.sender = saved.sender;
    this.secret = typeof saved.secret === 'string' ? saved.secret : null;
    this.mode = MODES.indexOf(saved.mode) >= 0 ? saved.mode : 'standard';
    return true;
  };

  Widget.prototype.remember = function () {
    if (!this.sender) return; // nothing is stored before the customer's first message
    try {
      root.sessionStorage.setItem(
        this.config.storageKey,
        JSON.stringify({ sender: this.sender, secret: this.secret, mode: this.mode })
      );
    } catch (error) {
      // Storage refused (private browsing, a sandbox): the chat works, it just won't survive a reload.
    }
  };

  Widget.prototype.mount = function () {
    var config = this.config;
    var host = element('div');
    host.id = 'candor-chat';
    host.style.setProperty('--candor-accent', config.accent);
    host.hidden = true; // shown once its styles have loaded (or failed to), so it never flashes unstyled
    var shadow = host.attachShadow({ mode: 'open' });
    var styles = element('link');
    styles.rel = 'stylesheet';
    styles.href = config.styles;
    var self = this;
    var reveal = function () {
      host.hidden = false;
      self.keepFocusInView();
    };
    styles.addEventListener('load', reveal);
    styles.addEventListener('error', reveal);
    shadow.appendChild(styles);
    this.host = host;
    this.shadow = shadow;
    this.followTheme();
    this.build(shadow);
    document.body.appendChild(host);
    root.addEventListener('resize', function () { self.keepFocusInView(); });
    if (this.restored) this.listen();
  };

  /**
   * The theme in force, as the host's data-theme: the page's choice, or for "auto" what the
   * reader's system asks for (more contrast first, then dark), kept up to date when that changes.
   */
  Widget.prototype.followTheme = function () {
    var host = this.host;
    var chosen = this.config.theme;
    var queries = ['(prefers-contrast: more)', '(prefers-color-scheme: dark)'];
    var apply = function () {
      var asks = function (query) { return Boolean(root.matchMedia) && root.matchMedia(query).matches; };
      var theme = chosen;
      if (chosen === 'auto') theme = asks(queries[0]) ? 'high-contrast' : asks(queries[1]) ? 'dark' : 'light';
      host.setAttribute('data-theme', theme);
    };
    apply();
    if (chosen !== 'auto' || !root.matchMedia) return;
    queries.forEach(function (query) {
      var watched = root.matchMedia(query);
      if (typeof watched.addEventListener === 'function') watched.addEventListener('change', apply);
    });
  };

  Widget.prototype.build = function (shadow) {
    var self = this;
    var config = this.config;

    var launcher = element('button', 'launcher', config.launcherText);
    launcher.type = 'button';
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-controls', 'candor-panel');
    var unread = element('span', 'unread');
    unread.hidden = true;
    launcher.appendChild(unread);
    // Outside the panel, so news reaches a screen reader while the chat is closed.
    var launcherStatus = element('p', 'visually-hidden');
    launcherStatus.setAttribute('role', 'status');

    var panel = element('section', 'panel');
    panel.id = 'candor-panel';
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-labelledby', 'candor-title');
    panel.setAttribute('aria-describedby', 'candor-subtitle');

    var header = element('header', 'header');
    var heading = element('div', 'heading');
    var title = element('h2', 'title', config.title);
    title.id = 'candor-title';
    var subtitle = element('p', 'subtitle', 'Automated assistant');
    subtitle.id = 'candor-subtitle';
    var presence = element('p', 'presence');
    presence.hidden = true;
    heading.appendChild(title);
    heading.appendChild(subtitle);
    heading.appendChild(presence);
    var close = element('button', 'close');
    close.type = 'button';
    close.appendChild(element('span', 'close-mark', '\u00d7')).setAttribute('aria-hidden', 'true');
    close.appendChild(visuallyHidden('Close chat'));
    header.appendChild(heading);
    header.appendChild(close);

    // Always here, in the same order, whatever the conversation is doing.
    var toolbar = element('div', 'toolbar');
    toolbar.setAttribute('role', 'group');
    toolbar.setAttribute('aria-label', 'Chat options');
    var person = this.button('Talk to a person', 'control person');
    var wrong = this.button('Report a wrong answer', 'control report');
    var plain = this.button('Plain language', 'control toggle');
    var screenReader = this.button('Screen-reader mode', 'control toggle');
    [person, wrong, plain, screenReader].forEach(function (control) { toolbar.appendChild(control); });

    var log = element('div', 'log');
    log.setAttribute('role', 'log');
    log.setAttribute('aria-label', 'Conversation');
    log.tabIndex = 0; // a scrolling region must be reachable by keyboard

    var typing = element('div', 'typing');
    typing.setAttribute('aria-hidden', 'true'); // the status region says it in words
    typing.hidden = true;
    typing.appendChild(element('span', 'dot'));
    typing.appendChild(element('span', 'dot'));
    typing.appendChild(element('span', 'dot'));
    typing.appendChild(element('span', 'typing-text', 'Typing'));

    var status = element('p', 'status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-atomic', 'true');

    var form = element('form', 'composer');
    form.noValidate = true;
    var label = element('label', 'input-label', 'Your message');
    label.htmlFor = 'candor-input';
    var input = element('textarea', 'input');
    input.id = 'candor-input';
    input.rows = 2;
    input.setAttribute('aria-describedby', 'candor-hint');
    var hint = element('p', 'hint', 'Enter sends. Shift+Enter starts a new line.');
    hint.id = 'candor-hint';
    var send = element('button', 'send', 'Send');
    send.type = 'submit';
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    form.appendChild(hint);

    panel.appendChild(header);
    panel.appendChild(toolbar);
    panel.appendChild(log);
    panel.appendChild(typing);
    panel.appendChild(status);
    panel.appendChild(form);
    shadow.appendChild(launcher);
    shadow.appendChild(launcherStatus);
    shadow.appendChild(panel);

    this.ui = {
      launcher: launcher, unread: unread, launcherStatus: launcherStatus, panel: panel, presence: presence,
      plain: plain, screenReader: screenReader, log: log, typing: typing, status: status, input: input
    };
    this.showMode();

    launcher.addEventListener('click', function () { self.open(); });
    close.addEventListener('click', function () { self.close(); });
    panel.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') {
        event.preventDefault();
        self.close();
      }
    });
    person.addEventListener('click', function () { self.send(PERSON_PAYLOAD, 'Talk to a person'); });
    wrong.addEventListener('click', function () { self.send(WRONG_ANSWER_PAYLOAD, 'That answer was wrong.'); });
    plain.addEventListener('click', function () { self.chooseMode(self.mode === 'plain' ? 'standard' : 'plain'); });
    screenReader.addEventListener('click', function () {
      self.chooseMode(self.mode === 'screen_reader' ? 'standard' : 'screen_reader');
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.sendTyped();
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.sendTyped();
      }
    });
  };

  Widget.prototype.button = function (text, className) {
    var control = element('button', className, text);
    control.type = 'button';
    return control;
  };

  // ---------------------------------------------------------------- opening and closing

  Widget.prototype.open = function () {
    var ui = this.ui;
    ui.panel.hidden = false;
    ui.launcher.hidden = true;
    ui.launcher.setAttribute('aria-expanded', 'true');
    ui.unread.hidden = true;
    ui.unread.textContent = '';
    this.unreadCount = 0;
    ui.launcherStatus.textContent = '';
    this.keepFocusInView();
    if (!this.opened) {
      this.opened = true;
      this.introduce();
    }
    ui.input.focus();
  };

  Widget.prototype.close = function () {
    var ui = this.ui;
    ui.panel.hidden = true;
    ui.launcher.hidden = false;
    ui.launcher.setAttribute('aria-expanded', 'false');
    this.keepFocusInView();
    ui.launcher.focus();
  };

  /**
   * The page scrolls whatever gets focus clear of the launcher or the open panel (WCAG 2.4.11):
   * the page's scroll padding at the bottom is kept as tall as what the widget covers there.
   */
  Widget.prototype.keepFocusInView = function () {
    var ui = this.ui;
    var covering = ui.panel.hidden ? ui.launcher : ui.panel;
    var page = document.documentElement;
    if (this.pageScrollPadding === undefined) this.pageScrollPadding = page.style.scrollPaddingBottom;
    root.requestAnimationFrame(function () {
      var height = covering.getBoundingClientRect().height;
      page.style.scrollPaddingBottom = height ? 'calc(' + Math.ceil(height) + 'px + 1.5rem)' : '';
    });
  };

  /** The AI disclosure first, in the policy's words; then, after a reload, where things stand. */
  Widget.prototype.introduce = function () {
    var self = this;
    var shown = false;
    var showDisclosure = function (text) {
      if (shown) return;
      shown = true;
      self.shownDisclosures.push(text);
      self.appendMessage({ who: 'Assistant', kind: 'bot', text: text, links: false, explainable: false });
      if (self.restored) {
        self.appendNotice('Your conversation carries on. Messages from before the page reloaded are not shown again.');
      }
    };
    var unreachable = function () {
      if (shown) return;
      shown = true;
      self.appendNotice(UNREACHABLE);
    };
    // A 503 still carries a disclosure to show (the server's short one): only its words are needed.
    this.introduced = root.fetch(this.config.endpoint + 'notice', { credentials: 'omit' })
      .then(function (reply) { return reply.json().catch(function () { return null; }); })
      .then(function (notice) {
        var text = notice && (self.mode === 'plain' ? notice.plain_text : notice.text);
        if (typeof text === 'string' && text) showDisclosure(text);
        else unreachable();
      })
      .catch(unreachable);
  };

  // ---------------------------------------------------------------- wording modes

  Widget.prototype.chooseMode = function (mode) {
    this.mode = mode;
    this.showMode();
    this.remember();
    this.say({
      plain: 'Plain language is on. My next answers will use simpler words.',
      screen_reader: 'Screen-reader mode is on. My next answers will read well aloud, with choices by number.',
      standard: 'Standard wording is back on.'
    }[mode]);
  };

  Widget.prototype.showMode = function () {
    this.ui.plain.setAttribute('aria-pressed', String(this.mode === 'plain'));
    this.ui.screenReader.setAttribute('aria-pressed', String(this.mode === 'screen_reader'));
  };

  // ---------------------------------------------------------------- sending

  Widget.prototype.sendTyped = function () {
    var input = this.ui.input;
    var text = input.value;
    if (!text.trim()) {
      this.say('Write a message first.');
      return;
    }
    input.value = '';
    this.send(text, text);
  };

  /**
   * Send `message` to the assistant; `shown` is what the transcript says the customer sent, and
   * `about` the id of an earlier message this one is about (a "Why?" on an older answer).
   * Returns the customer's turn number (replies are tied to it, whenever they arrive).
   */
  Widget.prototype.send = function (message, shown, about) {
    var self = this;
    if (!this.sender) this.sender = randomId();
    this.remember(); // from the first message on, the conversation survives a reload
    var turn = (this.turn += 1);
    var metadata = { accessibility: { mode: this.mode } };
    if (about) metadata.about = { message_id: about };
    this.messageIds[turn] = randomId();
    var body = JSON.stringify({
      sender: this.sender,
      message: message,
      message_id: this.messageIds[turn],
      metadata: metadata
    });
    this.listen();
    var bubble = null;
    // The disclosure stays first, and messages go one at a time so replies never come out of turn.
    this.introduced.then(function () {
      bubble = self.appendMessage({ who: 'You', kind: 'customer', text: shown, links: false, explainable: false });
    });
    this.sending = Promise.all([this.sending, this.introduced]).then(function () {
      var typing = root.setTimeout(function () { self.showTyping(true); }, TYPING_DELAY_MS);
      var headers = { 'Content-Type': 'application/json' };
      if (self.secret) headers[SECRET_HEADER] = self.secret;
      return root.fetch(self.config.endpoint + 'webhook', {
        method: 'POST',
        headers: headers,
        body: body,
        credentials: 'omit'
      })
        .then(function (reply) {
          self.keepSecret(reply.headers.get(SECRET_HEADER));
          return reply.json().then(function (answer) { return { status: reply.status, answer: answer }; });
        })
        .then(function (result) {
          if (result.status === 403) {
            // The conversation no longer opens with what this browser holds: start a new one.
            self.forgetConversation();
            self.notSent(bubble, message === shown ? shown : null, STARTED_AGAIN);
            return;
          }
          if (result.status >= 400 && result.status < 500) {
            self.notSent(bubble, message === shown ? shown : null, result.answer && result.answer.error);
            return;
          }
          (Array.isArray(result.answer) ? result.answer : []).forEach(function (reply) {
            self.receive(reply, false, turn);
          });
        })
        .catch(function () { self.notSent(bubble, message === shown ? shown : null, null); })
        .then(function () {
          root.clearTimeout(typing);
          self.showTyping(false);
        });
    });
    return turn;
  };

  /** The session secret the server hands over with a conversation's first reply: kept for this tab only. */
  Widget.prototype.keepSecret = function (secret) {
    if (!secret || secret === this.secret) return;
    this.secret = secret;
    this.remember();
    if (this.events) {
      this.events.close();
      this.events = null;
    }
    this.listen();
  };

  Widget.prototype.forgetConversation = function () {
    if (this.events) {
      this.events.close();
      this.events = null;
    }
    this.sender = randomId();
    this.secret = null;
    this.remember();
  };

  Widget.prototype.notSent = function (bubble, typed, reason) {
    if (bubble) {
      bubble.classList.add('failed');
      bubble.appendChild(element('p', 'failure', 'Not sent.'));
    }
    if (typed && !this.ui.input.value) this.ui.input.value = typed;
    this.say(
      reason
        ? 'Your message was not sent: ' + reason + '.'
        : 'Your message was not sent: we could not reach the assistant. Check your connection and send it again.'
    );
  };

  Widget.prototype.showTyping = function (typing) {
    if (this.ui.typing.hidden === !typing) return;
    this.ui.typing.hidden = !typing;
    if (typing) this.say(this.agent ? 'Waiting for a reply.' : 'The assistant is typing.');
    else if (this.ui.status.textContent === 'The assistant is typing.' || this.ui.status.textContent === 'Waiting for a reply.') {
      this.say('');
    }
  };

  // ---------------------------------------------------------------- pushed messages (server-sent events)

  /**
   * Keep an event stream open while the page is visible. A browser allows only six connections to
   * one server over HTTP/1.1, so a stream per background tab would soon block the customer's other
   * pages; a person's messages wait on the server meanwhile and arrive when the tab is back.
   */
  Widget.prototype.listen = function () {
    var self = this;
    if (!this.watchingVisibility) {
      this.watchingVisibility = true;
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'hidden' && self.events) {
          self.events.close();
          self.events = null;
        } else if (document.visibilityState === 'visible') {
          self.listen();
        }
      });
    }
    if (this.events || !this.sender || !this.secret || document.visibilityState === 'hidden') return;
    if (typeof root.EventSource !== 'function') return;
    // EventSource cannot send headers, so the stream's secret goes in its address (never logged).
    this.events = new root.EventSource(
      this.config.endpoint + 'events/' + encodeURIComponent(this.sender) +
        '?session_secret=' + encodeURIComponent(this.secret)
    );
    this.events.addEventListener('message', function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message && typeof message === 'object') self.receive(message, true, self.turn);
    });
  };

  // ---------------------------------------------------------------- receiving

  /**
   * Show one message from the server: a reply to the customer's `turn`, or `pushed` on the event
   * stream (a person's message, or the assistant's when a person hands back).
   */
  Widget.prototype.receive = function (message, pushed, turn) {
    var text = typeof message.text === 'string' ? message.text : '';
    if (message.notice === 'agent_joined' || message.notice === 'agent_left') {
      // With words, the log announces the change; without, the status region does.
      this.presence(message.notice === 'agent_joined' ? String(message.agent || 'A person') : null, !text);
      if (!text) return;
      if (message.notice === 'agent_joined') {
        this.appendNotice(text);
        this.arrived('our team');
        return;
      }
    }
    if (message.notice === 'ai_disclosure' && this.shownDisclosures.indexOf(text) >= 0) return; // said already
    // A person's own words carry their name; the hand-back names them too, but is the assistant speaking.
    if (message.notice !== 'agent_left' && typeof message.agent === 'string' && message.agent) {
      if (this.agent !== message.agent) this.presence(message.agent);
      this.appendMessage({ who: message.agent + ', from our team', kind: 'agent', text: text, links: false, explainable: false });
      this.arrived(message.agent);
      return;
    }
    // Only a hand-back is pushed without a person's name: the assistant has the conversation again.
    if (pushed && this.agent && !message.notice) this.presence(null);
    var explanation = message.custom && typeof message.custom === 'object' ? message.custom.explanation : null;
    if (!text && !explanation && !message.image && !message.attachment) return;
    if (message.notice === 'ai_disclosure') this.shownDisclosures.push(text);
    this.appendMessage({
      who: 'Assistant',
      kind: 'bot',
      turn: turn,
      text: text,
      links: true,
      buttons: Array.isArray(message.buttons) ? message.buttons : [],
      explanation: explanation && typeof explanation === 'object' ? explanation : null,
      files: [message.image, message.attachment].filter(function (file) { return typeof file === 'string' && file; }),
      explainable: !explanation && !message.notice
    });
    if (pushed) this.arrived('the assistant');
  };

  /**
   * A person joined (`name`) or left (null): shown under the title, and said in the status region
   * unless `announce` is false (the message that brought the news is in the log, announced there).
   */
  Widget.prototype.presence = function (name, announce) {
    var ui = this.ui;
    var quiet = announce === false;
    if (name) {
      this.agent = name;
      ui.presence.textContent = name + ', a person from our team, is in this chat.';
      ui.presence.hidden = false;
      if (!quiet) this.say(name + ', a person from our team, has joined the chat.');
    } else if (this.agent) {
      var left = this.agent;
      this.agent = null;
      ui.presence.textContent = '';
      ui.presence.hidden = true;
      if (!quiet) this.say(left + ' has left the chat. You are talking to the automated assistant again.');
    }
  };

  /** While the chat is closed, a pushed message shows on the launcher and is announced there. */
  Widget.prototype.arrived = function (from) {
    if (!this.ui.panel.hidden) return;
    this.unreadCount = (this.unreadCount || 0) + 1;
    this.ui.unread.textContent = ' (' + this.unreadCount + ' new)';
    this.ui.unread.hidden = false;
    this.ui.launcherStatus.textContent = 'New message from ' + from + '. Open the chat to read it.';
  };

  // ---------------------------------------------------------------- the transcript

  /** Append one message to the log: the only way anything enters it, so each is announced once. */
  Widget.prototype.appendMessage = function (message) {
    var self = this;
    var id = 'candor-message-' + (++this.messageCount);
    var item = element('div', 'message ' + message.kind);
    item.id = id;
    item.tabIndex = -1; // so the widget can take the customer to it ("Why?" on an explained answer)
    item.appendChild(element('p', 'who', message.who));
    var body = paragraphs(message.text || '', message.links);
    body.id = id + '-text';
    item.appendChild(body);
    if (message.explanation) {
      item.classList.add('explanation');
      item.appendChild(this.explanationDetails(message.explanation));
      this.linkExplanation(item, message.turn);
    }
    (message.files || []).forEach(function (file) {
      var href = safeHref(file);
      if (!href) return;
      var link = element('a', 'link', 'Open the file the assistant sent');
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.appendChild(element('span', 'new-tab', ' (opens in a new tab)'));
      item.appendChild(element('p', 'text')).appendChild(link);
    });
    if (message.buttons && message.buttons.length) {
      var choices = element('div', 'choices');
      choices.setAttribute('role', 'group');
      choices.setAttribute('aria-label', 'Choices');
      message.buttons.forEach(function (choice) {
        if (!choice || typeof choice.title !== 'string' || !choice.title) return;
        var payload = typeof choice.payload === 'string' && choice.payload ? choice.payload : choice.title;
        var control = self.button(choice.title, 'choice');
        control.addEventListener('click', function () { self.send(payload, choice.title); });
        choices.appendChild(control);
      });
      item.appendChild(choices);
    }
    if (message.explainable) {
      item.dataset.turn = String(message.turn);
      var why = this.button('Why?', 'why');
      why.setAttribute('aria-describedby', body.id);
      why.addEventListener('click', function () { self.why(item); });
      item.appendChild(why);
    }
    this.ui.log.appendChild(item);
    this.scrollToEnd(item);
    return item;
  };

  Widget.prototype.appendNotice = function (text) {
    var item = element('div', 'message notice');
    item.appendChild(element('p', 'text', text));
    this.ui.log.appendChild(item);
    this.scrollToEnd(item);
    return item;
  };

  Widget.prototype.scrollToEnd = function (item) {
    var reduce = root.matchMedia && root.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (typeof item.scrollIntoView === 'function') {
      item.scrollIntoView({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
    }
  };

  /**
   * "Why?" on an answer. An answer already explained takes the customer to its explanation. Any
   * other gets "why?" sent; for an older answer the message names the customer's message that
   * answer replied to (`metadata.about`), so the assistant explains that answer, not its latest.
   */
  Widget.prototype.why = function (item) {
    var explained = item.explainedBy && this.shadow.getElementById(item.explainedBy);
    if (explained) {
      explained.focus();
      this.scrollToEnd(explained);
      return;
    }
    var answered = Number(item.dataset.turn);
    var about = answered === this.turn ? null : this.messageIds[answered];
    if (answered === this.turn || about) {
      this.whyTargets[this.send(WHY_MESSAGE, 'Why?', about)] = answered;
      return;
    }
    // An answer from before a reload: the page no longer knows which message it answered.
    var note = 'I can no longer tell which of your messages this answered. To ask about it, choose "Talk to a person".';
    if (item.querySelector('.why-note')) this.say(note); // the log announced it the first time
    else item.appendChild(element('p', 'why-note', note));
  };

  /** An explanation, the reply to the customer's "why?" at `turn`, belongs to the answers it explains. */
  Widget.prototype.linkExplanation = function (explanationItem, turn) {
    var explains = turn in this.whyTargets ? this.whyTargets[turn] : turn - 1;
    var answers = this.ui.log.querySelectorAll('.message.bot[data-turn="' + explains + '"]');
    Array.prototype.forEach.call(answers, function (answer) {
      if (!answer.explainedBy) answer.explainedBy = explanationItem.id;
    });
  };

  /** The recorded grounds of an answer (`custom.explanation`), as a short list under its words. */
  Widget.prototype.explanationDetails = function (explanation) {
    var details = element('details', 'details');
    details.appendChild(element('summary', null, 'What the explanation is based on'));
    var list = element('dl');
    var add = function (term, value) {
      if (value === undefined || value === null || value === '') return;
      list.appendChild(element('dt', null, term));
      list.appendChild(element('dd', null, String(value)));
    };
    add('What I understood', explanation.intent_words || explanation.intent);
    if (typeof explanation.confidence === 'number') add('How sure I was', Math.round(explanation.confidence * 100) + '%');
    var deciders = [];
    (Array.isArray(explanation.choices) ? explanation.choices : []).forEach(function (choice) {
      var words = choice && (choice.policy_words || choice.policy);
      if (words && deciders.indexOf(words) < 0) deciders.push(words);
    });
    add('What chose my reply', deciders.join('; '));
    if (Array.isArray(explanation.information_used) && explanation.information_used.length) {
      add('What I used', explanation.information_used.join(', '));
    }
    if (explanation.handoff) add('A person', 'This conversation was passed to our team.');
    if (!list.childNodes.length) add('Recorded', 'Nothing more was recorded about this answer.');
    details.appendChild(list);
    return details;
  };

  /** Say `text` in the status region (politely, once), replacing what it said before. */
  Widget.prototype.say = function (text) {
    this.ui.status.textContent = text;
  };

  // ---------------------------------------------------------------- start

  var api = {
    contrastRatio: contrastRatio,
    acceptedAccent: acceptedAccent,
    parseHexColour: parseHexColour,
    DEFAULT_ACCENT: DEFAULT_ACCENT,
    ON_ACCENT: ON_ACCENT
  };
  root.CandorWidget = api;

  if (!root.document) return; // loaded outside a browser: only the helpers above
  var script = document.currentScript || document.querySelector('script[src$="widget.js"]');
  var start = function () {
    if (api.widget) return; // one widget per page, however often the script is included
    api.widget = new Widget(configuration(script));
    api.widget.mount();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(typeof window !== 'undefined' ? window : globalThis);
