"""SM59: named RFC destinations and the connections they open."""
