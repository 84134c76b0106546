package dev.toolguard.it.agent.apps.legacy;

public class Archiver {
    @AgentAction("archive_ticket")
    public String archive(String ticketId) {
        System.out.println("body ran archive " + ticketId);
        return "archived " + ticketId;
    }

    /** Not annotated: never a tool. */
    public String describe(String ticketId) {
        System.out.println("body ran describe " + ticketId);
        return "ticket " + ticketId;
    }
}
