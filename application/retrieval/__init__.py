"""What a chat turn searches for and whether what it found is relevant enough to answer from."""
