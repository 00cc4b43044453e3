package dev.verity.protocol.governance;

import dev.verity.core.PublicKey;
import dev.verity.core.Signature;

/** A council member's signature over a proposal's {@link GovernanceCodec#signingBytes signing bytes}. */
public record Approval(PublicKey member, Signature signature) {}
