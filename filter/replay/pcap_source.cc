// placeholder: replaced by the replay implementation
