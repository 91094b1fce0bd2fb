"""The doors people arrive through: each role's home page (the front office builds on it). It sits
above the domain apps it gathers from; none of them depends on it."""
