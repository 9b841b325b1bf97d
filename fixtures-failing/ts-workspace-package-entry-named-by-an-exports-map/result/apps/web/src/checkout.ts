import { LegacyButton } from "@acme/ui";

export const checkout = LegacyButton("Pay");
