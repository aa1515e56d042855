"""The ragchat domain: entities, value objects, stage rules and errors. Standard library and msgspec only."""
