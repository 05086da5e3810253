// The SDK in ./sdk is generated from the provider plugin's schema (see README.md).
import * as pulumi from "@pulumi/pulumi";
import * as twilio from "./sdk";

const config = new pulumi.Config();
const service = new twilio.ConversationService("support", { friendlyName: "Support" });
const triage = new twilio.Conversation("triage", {
    chatServiceSid: service.sid,
    friendlyName: config.get("conversationName") ?? "Triage",
    uniqueName: "triage",
    attributes: { team: "support", tier: 1 },
});

export const serviceSid = service.sid;
export const conversationSid = triage.sid;
