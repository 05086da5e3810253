"""Adopt two conversations that already exist in Twilio: one by SID, one by unique name.

    pulumi stack init dev
    pulumi config set service IS…            # the service that holds them
    pulumi config set legacySid CH…          # adopted by SID
    pulumi config set salesUniqueName sales  # adopted by unique name
    pulumi up                                # fetches both: no create, at most one update each

See README.md for what happens on `pulumi destroy`.
"""

import pulumi

from pulumi_twilio_conversations import Conversation

config = pulumi.Config()
service = config.require("service")

# By SID. The first `pulumi up` renames it to "Legacy support" (one update of that field only).
# retain_on_delete: `pulumi destroy`, or removing it from this program, lets go of it and leaves it in Twilio.
legacy = Conversation(
    "legacy",
    chat_service_sid=service,
    adopt=config.require("legacySid"),
    friendly_name="Legacy support",
    opts=pulumi.ResourceOptions(retain_on_delete=True),
)

# By unique name. Declared as it is in Twilio, so adoption sends no write at all; from now on a change here
# is an ordinary update, and `pulumi destroy` deletes it in Twilio.
sales = Conversation(
    "sales",
    chat_service_sid=service,
    adopt=config.require("salesUniqueName"),
    attributes={"team": "sales"},
)

pulumi.export("legacy_sid", legacy.sid)
pulumi.export("sales_sid", sales.sid)
