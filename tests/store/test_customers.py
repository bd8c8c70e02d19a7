"""Newsletter consent: changed only on request, with the moment of the change recorded."""

from __future__ import annotations

from datetime import timedelta

from bot.store import NewsletterOutcome, customer_by_email, set_newsletter


def test_a_customer_can_subscribe_to_the_newsletter(session, now):
    outcome = set_newsletter(session, "bilal.okafor@example.com", True, now)

    customer = customer_by_email(session, "bilal.okafor@example.com")
    assert outcome is NewsletterOutcome.SUBSCRIBED
    assert customer.newsletter_opt_in and customer.newsletter_changed_at == now


def test_a_customer_can_unsubscribe_from_the_newsletter(session, now):
    outcome = set_newsletter(session, "ada.thornbury@example.com", False, now)

    customer = customer_by_email(session, "ada.thornbury@example.com")
    assert outcome is NewsletterOutcome.UNSUBSCRIBED
    assert not customer.newsletter_opt_in and customer.newsletter_changed_at == now


def test_repeating_the_current_choice_changes_nothing(session, now):
    changed_at_before = customer_by_email(
        session, "ada.thornbury@example.com"
    ).newsletter_changed_at

    outcome = set_newsletter(session, "ada.thornbury@example.com", True, now + timedelta(days=1))

    assert outcome is NewsletterOutcome.UNCHANGED
    customer = customer_by_email(session, "ada.thornbury@example.com")
    assert customer.newsletter_changed_at == changed_at_before


def test_an_unknown_email_is_reported_and_no_customer_is_created(session, now):
    outcome = set_newsletter(session, "stranger@example.com", True, now)

    assert outcome is NewsletterOutcome.UNKNOWN_EMAIL
    assert customer_by_email(session, "stranger@example.com") is None


def test_the_newsletter_email_is_matched_however_it_is_typed(session, now):
    outcome = set_newsletter(session, "  Jonah.Pike@EXAMPLE.org ", True, now)

    assert outcome is NewsletterOutcome.SUBSCRIBED
