"""Speech for the voice channel: answers worded for the ear, spoken by pyttsx3, callers heard offline.

`rendering` words a reply for a caller, `synthesis` speaks it (one engine, one worker thread, a
cache), `transcription` listens (pocketsphinx with `language_model`, a trigram model of Candor's
own training data, and a grammar of the short answers), `audio` checks what arrives.
"""
