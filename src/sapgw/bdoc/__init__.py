"""The message: BDoc types (segments, fields, keys), mBDoc instances and their states."""
