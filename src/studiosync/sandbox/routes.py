"""Every path the sandbox answers, at Google's real paths, mapped to its handler."""

from __future__ import annotations

from starlette.routing import Route

from studiosync.sandbox.admin import AdminApi
from studiosync.sandbox.batch import BatchApi
from studiosync.sandbox.calendar_list import CalendarListing
from studiosync.sandbox.calendars_api import CalendarsApi
from studiosync.sandbox.channels_api import ChannelsAdmin, ChannelsApi
from studiosync.sandbox.events_api import EventsApi
from studiosync.sandbox.events_listing import EventListing
from studiosync.sandbox.oauth_api import OAuthApi
from studiosync.sandbox.people_api import PeopleApi

CAL = "/calendar/v3"
EVENT = CAL + "/calendars/{calendarId}/events/{eventId}"


def api_routes(
    events: EventsApi,
    listing: EventListing,
    calendars: CalendarsApi,
    people: PeopleApi,
    batch: BatchApi,
    oauth: OAuthApi,
    channels: ChannelsApi,
    calendar_list: CalendarListing,
) -> list[Route]:
    """Routes of the Google APIs, the most called first."""
    return [
        Route(CAL + "/calendars/{calendarId}/events", listing.list_events, methods=["GET"]),
        Route(CAL + "/calendars/{calendarId}/events", events.insert, methods=["POST"]),
        Route(CAL + "/calendars/{calendarId}/events/import", events.import_, methods=["POST"]),
        Route(CAL + "/calendars/{calendarId}/events/watch", channels.watch, methods=["POST"]),
        Route(CAL + "/channels/stop", channels.stop, methods=["POST"]),
        Route(EVENT + "/instances", listing.instances, methods=["GET"]),
        Route(EVENT, events.get, methods=["GET"]),
        Route(EVENT, events.update, methods=["PUT"]),
        Route(EVENT, events.patch, methods=["PATCH"]),
        Route(EVENT, events.delete, methods=["DELETE"]),
        Route(CAL + "/users/me/calendarList", calendar_list.list_entries, methods=["GET"]),
        Route(CAL + "/users/me/calendarList/{calendarId}", calendars.get_entry, methods=["GET"]),
        Route(CAL + "/calendars", calendars.insert_calendar, methods=["POST"]),
        Route(CAL + "/calendars/{calendarId}", calendars.get_calendar, methods=["GET"]),
        Route(CAL + "/calendars/{calendarId}", calendars.change_calendar, methods=["PUT", "PATCH"]),
        Route(CAL + "/calendars/{calendarId}", calendars.delete_calendar, methods=["DELETE"]),
        Route("/batch/calendar/v3", batch.calendar, methods=["POST"]),
        Route("/batch", batch.generic, methods=["POST"]),
        Route("/v1/people/{personId}/connections", people.list_connections, methods=["GET"]),
        Route("/v1/people:createContact", people.create_contact, methods=["POST"]),
        Route("/v1/people/{personId}:updateContact", people.update_contact, methods=["PATCH"]),
        Route("/v1/people/{personId}:deleteContact", people.delete_contact, methods=["DELETE"]),
        Route("/v1/people/{personId}", people.get_person, methods=["GET"]),
        Route("/o/oauth2/auth", oauth.authorize, methods=["GET"]),
        Route("/o/oauth2/auth", oauth.decide, methods=["POST"]),
        Route("/o/oauth2/v2/auth", oauth.authorize, methods=["GET"]),
        Route("/o/oauth2/v2/auth", oauth.decide, methods=["POST"]),
        Route("/token", oauth.token, methods=["POST"]),
        Route("/o/oauth2/token", oauth.token, methods=["POST"]),
        Route("/revoke", oauth.revoke, methods=["POST", "GET"]),
        Route("/o/oauth2/revoke", oauth.revoke, methods=["POST", "GET"]),
        Route("/oauth2/v3/userinfo", oauth.userinfo, methods=["GET", "POST"]),
        Route("/oauth2/v3/tokeninfo", oauth.tokeninfo, methods=["GET", "POST"]),
    ]


def admin_routes(admin: AdminApi, channels: ChannelsAdmin) -> list[Route]:
    base = "/_sandbox"
    return [
        Route(base + "/health", admin.health, methods=["GET"]),
        Route(base + "/accounts", admin.create_account, methods=["POST"]),
        Route(base + "/accounts", admin.list_accounts, methods=["GET"]),
        Route(base + "/accounts:bulk", admin.create_accounts, methods=["POST"]),
        Route(base + "/accounts/{email}/calendars", admin.add_calendar, methods=["POST"]),
        Route(base + "/accounts/{email}/tokens", admin.issue_tokens, methods=["POST"]),
        Route(base + "/accounts/{email}/revoke", admin.revoke, methods=["POST"]),
        Route(base + "/accounts/{email}/password", admin.change_password, methods=["POST"]),
        Route(base + "/accounts/{email}/quota", admin.quota, methods=["POST"]),
        Route(base + "/calendars/{calendarId}/share", admin.share, methods=["POST"]),
        Route(base + "/sync-tokens/expire", admin.expire_sync_tokens, methods=["POST"]),
        Route(base + "/faults", admin.add_fault, methods=["POST"]),
        Route(base + "/faults", admin.list_faults, methods=["GET"]),
        Route(base + "/faults", admin.clear_faults, methods=["DELETE"]),
        Route(base + "/faults/{faultId:int}", admin.clear_faults, methods=["DELETE"]),
        Route(base + "/stats", admin.stats, methods=["GET"]),
        Route(base + "/stats", admin.clear_stats, methods=["DELETE"]),
        Route(base + "/reset", admin.reset, methods=["POST"]),
        Route(base + "/clock", admin.clock, methods=["GET", "POST"]),
        Route(base + "/config", admin.config, methods=["GET", "POST", "PATCH"]),
        Route(base + "/channels", channels.list_channels, methods=["GET"]),
        Route(base + "/notification-rules", channels.add_rule, methods=["POST"]),
        Route(base + "/notification-rules", channels.list_rules, methods=["GET"]),
        Route(base + "/notification-rules", channels.clear_rules, methods=["DELETE"]),
    ]
