package dev.verity.sdk.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A registered model; {@code inputSchema} is what every job input must match (the chain refuses others at
 * submission); {@code program} is its integer program (omitted when it has none, so it is served NONE and TEE only).
 */
public record ModelView(String id, String owner, String name, String inputDescription, String outputDescription,
                        long computeUnits, InputSchemaView inputSchema, long registeredAt,
                        @JsonInclude(JsonInclude.Include.NON_NULL) ProgramView program) {}
