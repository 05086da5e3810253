"""Twilio Conversations as Pulumi resources: `ConversationService`, `Conversation` and their providers."""

from .conversation import Conversation, ConversationArgs, ConversationProvider
from .errors import NotFoundError, SettingsError, TwilioApiError, TwilioError
from .service import ConversationService, ConversationServiceArgs, ConversationServiceProvider

__all__ = [
    "Conversation",
    "ConversationArgs",
    "ConversationProvider",
    "ConversationService",
    "ConversationServiceArgs",
    "ConversationServiceProvider",
    "NotFoundError",
    "SettingsError",
    "TwilioApiError",
    "TwilioError",
]
