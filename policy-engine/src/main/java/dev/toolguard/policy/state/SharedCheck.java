package dev.toolguard.policy.state;

import java.time.Duration;
import java.util.List;

/**
 * What one call asks of the shared store in its single round trip: the sequences that could deny it (checked
 * first; an enforced one that is armed stops the charge), then its rate-limit token and budget amount.
 *
 * @param session   the call's session key, or null when no sequence is checked
 * @param sequences the sequences denying this tool, in bundle order
 * @param bucket    the rate-limit bucket to take a token from, or null
 * @param rateLimit tokens of the bucket
 * @param ratePer   refill period of the bucket
 * @param account   the budget account to charge, or null
 * @param cost      the amount to charge
 * @param budget    the budget's limit per window
 * @param budgetPer the budget window, aligned to the Unix epoch
 * @param more      further buckets that must each have a token too (entries of a {@code rate_limit} list, bundle-level
 *                  {@code limits}): taken with the others, all or none, in the same round trip
 */
public record SharedCheck(String session, List<Sequence> sequences, String bucket, long rateLimit, Duration ratePer,
                          String account, double cost, double budget, Duration budgetPer, List<Bucket> more) {

    /** One further token bucket of a call. */
    public record Bucket(String bucket, long limit, Duration per) {
    }

    /**
     * One sequence to look up in the session's history.
     *
     * @param after    the tool globs that arm it
     * @param since    epoch millis from which an allowed tool counts ({@code 0} for the whole session)
     * @param enforced false for a sequence of a shadow-mode file: armed, it charges anyway
     */
    public record Sequence(List<String> after, long since, boolean enforced) {
    }

    /**
     * The answer.
     *
     * @param armed   per sequence, whether a tool arming it ran in the session within its time
     * @param limit   {@link #CHARGED}, {@link #NO_TOKEN}, {@link #NO_BUDGET}, or {@link #NOT_CHARGED} (nothing asked,
     *                or an enforced sequence was armed)
     * @param charged what was charged, to give back if the call does not go ahead; null when nothing was
     * @param empty   for {@link #NO_TOKEN}: which bucket had none, -1 for {@code bucket}, else the index in {@code more}
     */
    public record Result(boolean[] armed, int limit, Charged charged, int empty) {

        public Result(boolean[] armed, int limit, Charged charged) {
            this(armed, limit, charged, -1);
        }
    }

    public static final int NOT_CHARGED = 0;
    public static final int CHARGED = 1;
    public static final int NO_TOKEN = 2;
    public static final int NO_BUDGET = 3;

    /**
     * A charge that {@link SharedState#release} can take back.
     *
     * @param windowStart the start of the budget window charged (epoch millis, the store's clock)
     * @param more        the further buckets a token was taken from
     */
    public record Charged(String bucket, long rateLimit, Duration ratePer, String account, double cost,
                          Duration budgetPer, long windowStart, List<Bucket> more) {
    }
}
