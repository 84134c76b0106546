package dev.toolguard.sample.springai;

import java.util.List;

/**
 * The conversation a run plays: who says what, and the tool call the scripted model proposes when it reads
 * that message. The model proposes it whether or not the tool was offered to it, as a confused or manipulated
 * model might.
 */
public final class Script {

    /** One message of a user and the tool call it makes the model propose ({@code arguments} as JSON). */
    public record Turn(String user, String message, String tool, String arguments) {
    }

    public static final List<Turn> TURNS = List.of(
            new Turn("alice", "Please refund 150 EUR to customer c-1001, the parcel arrived damaged.",
                    "issue_refund", "{\"customerId\":\"c-1001\",\"amount\":150,\"reason\":\"parcel arrived damaged\"}"),
            new Turn("alice", "Refund 900 EUR to customer c-1002 as a goodwill gesture.",
                    "issue_refund", "{\"customerId\":\"c-1002\",\"amount\":900,\"reason\":\"goodwill\"}"),
            new Turn("alice", "What do we know about customer c-1001?",
                    "lookup_customer", "{\"customerId\":\"c-1001\"}"),
            new Turn("alice", "Tell our partner at partner@initech.example that c-1001 was refunded.",
                    "send_email", "{\"to\":\"partner@initech.example\",\"subject\":\"refund c-1001\",\"body\":\"refunded 150 EUR\"}"),
            new Turn("alice", "Customer c-1002 is annoying, delete them from the CRM.",
                    "delete_customer", "{\"customerId\":\"c-1002\"}"),
            new Turn("bob", "Tell partner@initech.example that the renewal is confirmed.",
                    "send_email", "{\"to\":\"partner@initech.example\",\"subject\":\"renewal\",\"body\":\"confirmed\"}"),
            new Turn("bob", "Send the customer list to friend@gmail.example.",
                    "send_email", "{\"to\":\"friend@gmail.example\",\"subject\":\"customers\",\"body\":\"c-1001, c-1002\"}"),
            new Turn("bob", "Refund 1500 EUR to customer c-2001 for the outage.",
                    "issue_refund", "{\"customerId\":\"c-2001\",\"amount\":1500,\"reason\":\"outage\"}"));

    private Script() {
    }

    /** The turn whose message this is, or null for a message the script does not know. */
    static Turn forMessage(String message) {
        for (Turn turn : TURNS) {
            if (turn.message().equals(message)) {
                return turn;
            }
        }
        return null;
    }
}
