// placeholder: replaced by the engine implementation
