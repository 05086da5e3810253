"""Twilio Conversations as Pulumi resources: `ConversationService`, `Conversation` and their providers."""

from .conversation import Conversation, ConversationArgs, ConversationProvider
from .errors import (
    AdoptError,
    AdoptNotFoundError,
    AmbiguousWriteError,
    LostResponseError,
    NotFoundError,
    ServerWriteError,
    SettingsError,
    TwilioApiError,
    TwilioConnectionError,
    TwilioError,
    TwilioRequestError,
)
from .service import ConversationService, ConversationServiceArgs, ConversationServiceProvider

__all__ = [
    "AdoptError",
    "AdoptNotFoundError",
    "AmbiguousWriteError",
    "Conversation",
    "ConversationArgs",
    "ConversationProvider",
    "ConversationService",
    "ConversationServiceArgs",
    "ConversationServiceProvider",
    "LostResponseError",
    "NotFoundError",
    "ServerWriteError",
    "SettingsError",
    "TwilioApiError",
    "TwilioConnectionError",
    "TwilioError",
    "TwilioRequestError",
]
