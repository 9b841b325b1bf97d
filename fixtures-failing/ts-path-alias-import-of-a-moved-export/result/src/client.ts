import { API_URL } from "@app/config";
import { LEGACY_API_URL } from "@app/legacy";

export const endpoints = [API_URL, LEGACY_API_URL];
