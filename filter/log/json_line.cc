// placeholder: replaced by the log implementation
