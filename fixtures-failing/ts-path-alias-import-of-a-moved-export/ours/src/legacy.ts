export const LEGACY_API_URL = "https://legacy.example.com";
