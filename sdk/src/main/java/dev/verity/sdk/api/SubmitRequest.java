package dev.verity.sdk.api;

/** POST /v1/transactions body: the signed transaction's canonical bytes, base64. */
public record SubmitRequest(String transaction) {}
