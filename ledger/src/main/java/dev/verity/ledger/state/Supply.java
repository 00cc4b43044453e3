package dev.verity.ledger.state;

/**
 * Where every base unit of the chain is: balances, stakes, unbonding stake, the treasury, client escrow of open
 * jobs and challenger bonds of running disputes. No rule creates or destroys tokens, so {@link #total()} never
 * changes; a test or an operator can check that it did not.
 */
public record Supply(long balances, long stakes, long unbonding, long treasury, long escrow, long bonds) {

    public long total() {
        return Math.addExact(Math.addExact(Math.addExact(balances, stakes), Math.addExact(unbonding, treasury)),
                Math.addExact(escrow, bonds));
    }

    /** Adds up {@code s} (a pass over accounts, nodes, jobs and disputes). */
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
        return new Supply(balances, stakes, unbonding, s.global(LedgerState.GLOBAL_TREASURY), escrow, bonds);
    }

    /** A job holds its client's max fee until it settles, fails, expires or is cancelled. */
    static boolean holdsEscrow(JobStatus status) {
        return status == JobStatus.QUEUED || status == JobStatus.ASSIGNED || status == JobStatus.VERIFYING
                || status == JobStatus.DISPUTED;
    }
}
