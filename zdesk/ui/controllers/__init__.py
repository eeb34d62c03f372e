"""The window's controllers: plain objects (QObjects for their signals) that get what they need."""
