import { LEGACY_API_URL } from "@app/config";

export function reportUrl(id: string): string {
  return `${LEGACY_API_URL}/reports/${id}`;
}
