// placeholder: replaced by the packet builder
