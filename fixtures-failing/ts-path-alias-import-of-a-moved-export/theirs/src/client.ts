import { API_URL, LEGACY_API_URL } from "@app/config";

export const endpoints = [API_URL, LEGACY_API_URL];
