"""The commands without a window: `zdesk check`, `zdesk export` and `zdesk --self-test`."""
