package dev.verity.ledger.state;

/**
 * Where every base unit of the chain is: balances, node stakes, node stake unbonding, the treasury, client escrow
 * of open jobs, challenger bonds of running disputes, and the validators' stake, bonded in the validator set and
 * unbonding after a leave or a removal. The genesis allocations and the genesis validators' stake are the whole
 * supply; no rule creates or destroys tokens, so {@link #total()} never changes after genesis; a test or an operator
 * can check that it did not.
 */
public record Supply(long balances, long stakes, long unbonding, long treasury, long escrow, long bonds,
                     long validatorStakes, long validatorUnbonding) {

    public long total() {
        return Math.addExact(Math.addExact(Math.addExact(Math.addExact(balances, stakes), Math.addExact(unbonding, treasury)),
                Math.addExact(escrow, bonds)), Math.addExact(validatorStakes, validatorUnbonding));
    }

    /** Adds up {@code s} (a pass over accounts, nodes, jobs, disputes and validator unbonding). */
    public static Supply of(LedgerState s) {
        long balances = 0;
        for (Account a : s.accounts.values()) {
            balances = Math.addExact(balances, a.balance());
        }
        long stakes = 0;
        long unbonding = 0;
        for (NodeRecord n : s.nodes.values()) {
            stakes = Math.addExact(stakes, n.stake());
            for (Unbonding u : n.unbonding()) {
                unbonding = Math.addExact(unbonding, u.amount());
            }
        }
        long escrow = 0;
        for (JobRecord j : s.jobs.values()) {
            if (holdsEscrow(j.status())) {
                escrow = Math.addExact(escrow, j.maxFee());
            }
        }
        long bonds = 0;
        for (DisputeRecord d : s.disputes.values()) {
            bonds = Math.addExact(bonds, d.bond());
        }
        long validatorUnbonding = 0;
        for (ValidatorUnbonding v : s.validatorUnbonding.values()) {
            validatorUnbonding = Math.addExact(validatorUnbonding, v.total());
        }
        return new Supply(balances, stakes, unbonding, s.global(LedgerState.GLOBAL_TREASURY), escrow, bonds,
                s.validatorSet().totalStake(), validatorUnbonding);
    }

    /** A job holds its client's max fee until it settles, fails, expires or is cancelled. */
    static boolean holdsEscrow(JobStatus status) {
        return status == JobStatus.QUEUED || status == JobStatus.ASSIGNED || status == JobStatus.VERIFYING
                || status == JobStatus.DISPUTED;
    }
}
