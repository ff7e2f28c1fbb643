"""Read views of the park's reference data for the admin screens: the factor library
(:mod:`.factors`) and the park's physical assets with their typed parameters (:mod:`.assets`)."""
