package dev.verity.sdk.api;

/** Every API error: a stable code (a ledger reject code or an HTTP-level one) and a message a user can act on. */
public record ApiError(String code, String message) {}
