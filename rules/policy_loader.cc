// placeholder: replaced by the policy loader
