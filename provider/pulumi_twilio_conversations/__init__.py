"""Twilio Conversations as Pulumi resources: `Conversation` and its dynamic provider."""

from .conversation import Conversation, ConversationArgs, ConversationProvider
from .errors import NotFoundError, SettingsError, TwilioApiError, TwilioError

__all__ = [
    "Conversation",
    "ConversationArgs",
    "ConversationProvider",
    "NotFoundError",
    "SettingsError",
    "TwilioApiError",
    "TwilioError",
]
