print("moons")
