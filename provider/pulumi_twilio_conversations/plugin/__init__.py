"""The provider plugin: the same resources for every Pulumi language (`pulumi-resource-twilio-conversations`).

resources.py   the tables: each resource's fields (name, kind, description, replace, secret, import)
               and the provider config keys; no plugin protocol, meant for a shared core
schema.py      the package schema, built from those tables
provider.py    the experimental `Provider`: translates requests and calls each resource's core
server.py      the gRPC server and the console script's `main`; user errors as one line
"""
