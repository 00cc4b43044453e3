package dev.verity.sdk.api;

public record ModelView(String id, String owner, String name, String inputDescription, String outputDescription,
                        long computeUnits, long inputBytes, long registeredAt) {}
