package dev.verity.sdk.api;

import java.util.List;

public record BlockView(long height, String hash, String previousHash, long timestampMillis, String transactionsRoot,
                        String stateRoot, String eventsRoot, String producer, String signature, List<String> transactions) {}
