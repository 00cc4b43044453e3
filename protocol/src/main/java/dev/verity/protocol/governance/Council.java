package dev.verity.protocol.governance;

import dev.verity.core.PublicKey;
import java.util.List;
import java.util.TreeSet;

/**
 * Who governs the chain: any {@code threshold} of {@code members} together. A devnet starts with
 * one governance key and threshold 1; the council can replace itself (for example by a 3-of-5
 * multi-signature council) with a {@link GovernanceAction.ReplaceCouncil} it approves.
 */
public record Council(List<PublicKey> members, int threshold) {
    public static final int MAX_MEMBERS = 32;

    public Council {
        members = List.copyOf(members);
        String problem = problem(members, threshold);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    public static Council single(PublicKey key) {
        return new Council(List.of(key), 1);
    }

    static String problem(List<PublicKey> members, int threshold) {
        if (members.isEmpty() || members.size() > MAX_MEMBERS) {
            return "a council has 1 to " + MAX_MEMBERS + " members, got " + members.size();
        }
        if (new TreeSet<>(members).size() != members.size()) {
            return "a council member appears twice";
        }
        if (threshold < 1 || threshold > members.size()) {
            return "the threshold must be 1 to " + members.size() + ", got " + threshold;
        }
        return null;
    }
}
