"""Tools for the kit's authors, not its learners: :mod:`simlib.authoring.twins` builds the Dutch notebooks."""
