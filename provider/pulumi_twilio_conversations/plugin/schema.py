"""The Pulumi package schema of `twilio-conversations`, built from the tables in `resources.py`.

`pulumi package get-schema pulumi-resource-twilio-conversations` prints it, and `pulumi package gen-sdk`
generates each language's SDK from it, so every description here reaches those SDKs' docs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .resources import CONFIG, PACKAGE, ConfigKey, Field, ResourceSpec, camel

# A field's kind → its schema type.
TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "number": {"type": "number"},
    "json": {"$ref": "pulumi.json#/Any"},
    "string-map": {"type": "object", "additionalProperties": {"type": "string"}},
    "string-list": {"type": "array", "items": {"type": "string"}},
}


def _field(field: Field, kind: str) -> dict[str, Any]:
    spec = {**TYPES[kind], "description": field.description}
    if field.secret:
        spec["secret"] = True
    if field.replaces:
        spec["willReplaceOnChanges"] = True
    return spec


def _config(key: ConfigKey) -> dict[str, Any]:
    spec = {**TYPES[key.type], "description": f"{key.description} Falls back to {key.environment}."}
    if key.secret:
        spec["secret"] = True
    return spec


def _names(fields: Iterable[Field]) -> list[str]:
    return [camel(f.name) for f in fields]


def _resource(resource: ResourceSpec) -> dict[str, Any]:
    """One resource's schema; an empty list of required names is left out, as `pulumi package get-schema` prints it."""
    required = {
        "required": _names(f for f in resource.outputs if f.always),
        "requiredInputs": _names(f for f in resource.inputs if f.required),
    }
    return {
        "description": f"{resource.description}\n\nImport with the id {resource.import_id}.",
        "properties": {camel(f.name): _field(f, f.type) for f in resource.outputs},
        "inputProperties": {camel(f.name): _field(f, f.input_type or f.type) for f in resource.inputs},
        **{key: names for key, names in required.items() if names},
    }


def build_schema(resources: Sequence[ResourceSpec], version: str) -> dict[str, Any]:
    """The whole schema document for these resources."""
    config = {key.key: _config(key) for key in CONFIG}
    return {
        "name": PACKAGE,
        "displayName": "Twilio Conversations",
        "version": version,
        "description": "Twilio Conversations services and conversations as Pulumi resources.",
        "keywords": ["twilio", "conversations", "category/utility", "kind/native"],
        "license": "Apache-2.0",
        "config": {"variables": config},
        "provider": {
            "description": "The provider of twilio-conversations resources: the Twilio account and endpoint.",
            "inputProperties": config,
        },
        "resources": {resource.token: _resource(resource) for resource in resources},
        # The Python SDK must not take the name of the package that ships this plugin.
        "language": {"python": {"packageName": "pulumi_twilio_conversations_sdk"}},
    }
