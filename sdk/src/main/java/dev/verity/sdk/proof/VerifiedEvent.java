package dev.verity.sdk.proof;

import dev.verity.core.Hash;
import dev.verity.protocol.block.BlockHeader;

/**
 * Event {@code index} of the block {@code header} (hash {@code blockHash}), proven against its events root:
 * {@code event} is the encoded event. As for {@link VerifiedRow}, compare {@code blockHash} with one you trust.
 */
public record VerifiedEvent(Hash blockHash, BlockHeader header, int index, byte[] event) {}
