package dev.toolguard.it.mcp;

/** The guarded conversation with the support-desk server built with {@code McpServer.async} on SDK 1.0.0, the oldest release we support. */
class McpSdk1AsyncServerIT extends GuardedSupportDesk {

    @Override
    SupportDeskServer.Build build() {
        return SupportDeskServer.Build.SDK_1;
    }

    @Override
    String mode() {
        return "async";
    }
}
