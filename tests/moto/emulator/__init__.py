"""edge-audit's AWS emulator extension: a local HTTP service in front of moto that answers the
operations moto 5.2.5 lacks from scenario data and forwards everything else (see README.md,
"The emulator"). One module per service registers its operations with `core.Service`."""
