"""Development-only servers of the local Weerbaar stack. Never deploy these to production."""
