package dev.toolguard.it.mcp;

/** The guarded conversation with the support-desk server built with {@code McpServer.async} (Mono handlers) on the newest SDK release. */
class McpAsyncServerIT extends GuardedSupportDesk {

    @Override
    SupportDeskServer.Build build() {
        return SupportDeskServer.Build.SDK_2;
    }

    @Override
    String mode() {
        return "async";
    }
}
