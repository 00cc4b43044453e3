package dev.verity.proofs.attestation;

import java.util.List;

/**
 * A platform's trusted-computing-base version as security version numbers, one per component, in
 * the type's fixed order (SEV-SNP: FMC, bootloader, TEE, SNP firmware, microcode; TDX: the 16 bytes
 * of TEE_TCB_SVN). A level meets a minimum when every component is at least the minimum's.
 */
public record TcbVersion(List<Integer> components) {
    public static final int MAX_COMPONENTS = 16;

    public TcbVersion {
        components = List.copyOf(components);
        if (components.size() > MAX_COMPONENTS) {
            throw new IllegalArgumentException("a TCB version has at most " + MAX_COMPONENTS + " components");
        }
        for (int c : components) {
            if (c < 0 || c > 255) {
                throw new IllegalArgumentException("TCB components are 0..255, got " + c);
            }
        }
    }

    public static TcbVersion of(int... components) {
        Integer[] boxed = new Integer[components.length];
        for (int i = 0; i < components.length; i++) {
            boxed[i] = components[i];
        }
        return new TcbVersion(List.of(boxed));
    }

    /** Whether every component is at least the minimum's; a minimum with another shape is never met. */
    public boolean meets(TcbVersion minimum) {
        if (minimum.components.size() != components.size()) {
            return false;
        }
        for (int i = 0; i < components.size(); i++) {
            if (components.get(i) < minimum.components.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return components.toString();
    }
}
