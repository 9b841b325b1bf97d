export const API_URL = "https://api.example.com";
export const LEGACY_API_URL = "https://legacy.example.com";
