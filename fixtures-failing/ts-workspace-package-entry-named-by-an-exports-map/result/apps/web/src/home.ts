import { Button } from "@acme/ui";

export const home = Button("Start");
