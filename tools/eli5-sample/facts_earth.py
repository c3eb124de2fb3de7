"""Earth science, weather and climate: hand-written questions and facts for the bundled ELI5 sample."""

TOPICS = [
    {
        "questions": [
            "What causes earthquakes?",
            "Why can't we predict earthquakes?",
            "What do earthquake magnitude numbers mean?",
        ],
        "facts": [
            "Earth's outer shell is broken into tectonic plates that slowly move, at about the speed your fingernails grow.",
            "Where plates grind past each other, friction locks them in place until the built-up strain is suddenly released as an earthquake.",
            "The magnitude scale is logarithmic: each whole step means about 32 times more energy released.",
            "Scientists can map which faults are likely to produce large earthquakes, but not the exact day or hour they will break.",
            "Early warning systems detect the first, faster seismic waves and can give people a few seconds to tens of seconds of warning before strong shaking arrives.",
            "The largest earthquake ever recorded was a magnitude 9.5 in Chile in 1960.",
        ],
    },
    {
        "questions": [
            "How do volcanoes form?",
            "Why do some volcanoes explode while others just ooze lava?",
            "What is a supervolcano?",
        ],
        "facts": [
            "Most volcanoes form where tectonic plates pull apart or where one plate dives beneath another and melts rock deep underground.",
            "Some, like Hawaii, sit above hot spots where plumes of hot rock rise from deep in the mantle.",
            "Runny, low-silica basalt lava lets gas escape easily, so Hawaiian eruptions tend to flow gently.",
            "Sticky, silica-rich magma traps gas until the pressure blasts it apart, causing explosive eruptions like Mount St. Helens in 1980.",
            "A supervolcano is a volcano capable of an eruption that ejects more than a thousand cubic kilometers of material, such as Yellowstone.",
            "Large eruptions can cool the whole planet for a year or two by filling the upper atmosphere with sulfur particles that reflect sunlight.",
        ],
    },
    {
        "questions": [
            "What is inside the Earth?",
            "How do we know what the Earth's core is made of?",
            "Why is the center of the Earth so hot?",
        ],
        "facts": [
            "Earth has a thin rocky crust, a thick mantle of hot rock, a liquid outer core and a solid inner core made mostly of iron and nickel.",
            "Nobody has drilled deeper than about 12 kilometers, so we learn about the interior from seismic waves from earthquakes.",
            "Shear waves cannot travel through liquid, and the shadow they leave on the far side of the planet revealed that the outer core is liquid.",
            "The inner core is about as hot as the surface of the Sun, over 5,000 degrees Celsius.",
            "Much of that heat is left over from Earth's formation, and the rest comes from the slow decay of radioactive elements.",
            "Swirling liquid iron in the outer core generates Earth's magnetic field.",
        ],
    },
    {
        "questions": [
            "What is plate tectonics and how was it discovered?",
            "Did the continents really used to be joined together?",
            "Why do the coastlines of Africa and South America fit together?",
        ],
        "facts": [
            "Alfred Wegener proposed in 1912 that the continents had drifted apart, but most geologists rejected the idea for decades.",
            "About 300 to 200 million years ago the continents were joined in a supercontinent called Pangaea.",
            "The coastlines of Africa and South America fit together, and matching fossils and rock types are found on both sides of the Atlantic.",
            "In the 1950s and 1960s, maps of the seafloor revealed mid-ocean ridges where new crust forms and spreads outward.",
            "Magnetic stripes in the seafloor rock record reversals of Earth's magnetic field and show the spreading like a tape recorder.",
            "The Atlantic Ocean is still widening by a few centimeters every year.",
        ],
    },
    {
        "questions": [
            "What causes the tides?",
            "Why are there two high tides a day?",
            "What are spring tides and neap tides?",
        ],
        "facts": [
            "Tides are caused mainly by the Moon's gravity pulling slightly harder on the near side of Earth than on the far side.",
            "That difference stretches the oceans into two bulges, one facing the Moon and one on the opposite side.",
            "As Earth rotates, most coastlines pass through both bulges, giving two high tides roughly every 24 hours and 50 minutes.",
            "The Sun also raises tides, about half as strong as the Moon's.",
            "When the Sun and Moon line up, at new and full moon, their effects add up to give extra large spring tides.",
            "When they pull at right angles, at the quarter moons, the tides are smaller and are called neap tides.",
        ],
    },
    {
        "questions": [
            "How do clouds form?",
            "Why are clouds white but rain clouds are gray?",
            "How do clouds float if water is heavy?",
        ],
        "facts": [
            "Clouds form when moist air rises and cools until its water vapor condenses on tiny particles of dust, salt or smoke.",
            "A cloud is made of countless droplets or ice crystals so small that the slightest updraft keeps them aloft.",
            "A typical cumulus cloud can contain hundreds of tonnes of water, spread through an enormous volume of air.",
            "Clouds look white because their droplets scatter all colors of sunlight equally.",
            "Thick rain clouds look gray because so little light makes it all the way through them to the bottom.",
            "Rain falls when droplets collide and merge, or when ice crystals grow, until they are too heavy for the updrafts to hold.",
        ],
    },
    {
        "questions": [
            "How do hurricanes form?",
            "Why do hurricanes spin?",
            "Why do hurricanes weaken over land?",
        ],
        "facts": [
            "Hurricanes form over warm tropical oceans, usually where the water is at least 26 degrees Celsius.",
            "Warm, moist air rises, and as its water vapor condenses it releases heat that drives the storm even harder.",
            "Earth's rotation deflects the inflowing winds, an effect called the Coriolis effect, so the storm spins.",
            "Hurricanes spin counterclockwise in the Northern Hemisphere and clockwise in the Southern Hemisphere.",
            "Over land the storm loses its supply of warm, moist air, and friction with the ground slows the winds.",
            "Hurricanes, typhoons and cyclones are the same kind of storm with different names in different oceans.",
        ],
    },
    {
        "questions": [
            "How does lightning form?",
            "Is it true lightning never strikes the same place twice?",
            "Why is it dangerous to stand under a tree in a storm?",
        ],
        "facts": [
            "Inside a thundercloud, colliding ice crystals and soft hail pellets separate electric charges, leaving the top of the cloud positive and the bottom negative.",
            "When the charge difference grows large enough, the air breaks down and a giant spark jumps within the cloud or to the ground.",
            "Lightning often strikes the same place more than once; the Empire State Building is hit around 20 to 25 times a year.",
            "Tall objects are more likely to be struck, and current from a strike can jump from a tree to a person standing nearby.",
            "A car or a building with wiring and plumbing gives good protection, because the current flows around the occupants.",
            "If you can hear thunder, you are close enough to be struck.",
        ],
    },
    {
        "questions": [
            "What is the greenhouse effect?",
            "How do we know humans are causing climate change?",
            "Why does carbon dioxide trap heat but oxygen doesn't?",
            "What is the difference between weather and climate?",
        ],
        "facts": [
            "The greenhouse effect is natural: gases such as water vapor and carbon dioxide absorb infrared heat from the ground and send some of it back down.",
            "Without any greenhouse effect, Earth's average temperature would be around minus 18 degrees Celsius.",
            "Carbon dioxide molecules can bend and stretch in ways that absorb infrared light, while nitrogen and oxygen molecules cannot.",
            "Since the Industrial Revolution, burning fossil fuels has raised carbon dioxide from about 280 to over 420 parts per million.",
            "The extra carbon carries the chemical fingerprint of fossil fuels, and satellites measure less heat escaping at exactly the wavelengths carbon dioxide absorbs.",
            "Weather is what happens over days, while climate is the average pattern of weather over decades.",
            "Earth has warmed by about 1.2 degrees Celsius since the late 1800s.",
        ],
    },
    {
        "questions": [
            "Why is the ocean salty?",
            "Why are lakes and rivers fresh water?",
            "Is the ocean getting more acidic?",
        ],
        "facts": [
            "Rain is slightly acidic, and as it runs over rocks it dissolves tiny amounts of minerals and carries them to the sea.",
            "When seawater evaporates, the water leaves but the salts stay behind, so over millions of years the ocean became salty.",
            "Undersea hot springs also add dissolved minerals to the ocean.",
            "Most lakes and rivers stay fresh because water flows through them and out to the sea, carrying the salts away.",
            "Lakes with no outlet, such as the Dead Sea and the Great Salt Lake, become very salty.",
            "The ocean absorbs about a quarter of the carbon dioxide we emit, which forms carbonic acid and has lowered the ocean's pH.",
        ],
    },
    {
        "questions": [
            "What are ice ages and what causes them?",
            "Are we still in an ice age?",
            "How do ice cores tell us about past climate?",
        ],
        "facts": [
            "An ice age is a long period when large ice sheets cover parts of the continents, and technically we are still in one because Greenland and Antarctica are covered in ice.",
            "Within it, colder glacial periods and warmer interglacials alternate on cycles of roughly 100,000 years.",
            "Those cycles are paced by slow changes in Earth's orbit and tilt, called Milankovitch cycles, which change how sunlight is spread over the seasons.",
            "Ice cores from Antarctica contain tiny bubbles of ancient air, giving direct samples of the atmosphere up to 800,000 years old.",
            "The ratio of heavy and light oxygen atoms in the ice reveals the temperature when the snow fell.",
            "During the last glacial maximum, about 20,000 years ago, sea level was around 120 meters lower than today.",
        ],
    },
    {
        "questions": [
            "How are rocks formed?",
            "What is the rock cycle?",
            "Why are fossils usually found in sedimentary rock?",
        ],
        "facts": [
            "Igneous rocks form when molten rock cools, such as granite underground or basalt from lava.",
            "Sedimentary rocks form when layers of sand, mud or shells are buried and cemented together, such as sandstone and limestone.",
            "Metamorphic rocks form when existing rocks are changed by heat and pressure, as when limestone becomes marble.",
            "Over millions of years rocks are worn down, buried, melted and pushed back up, an endless loop called the rock cycle.",
            "Fossils are mostly found in sedimentary rock, because gentle burial in mud or sand can preserve shapes that heat and pressure would destroy.",
            "The layers of sedimentary rock act like pages in a history book, with older layers usually at the bottom.",
        ],
    },
    {
        "questions": [
            "What are the northern lights?",
            "Why are auroras green?",
            "Do other planets have auroras?",
        ],
        "facts": [
            "Auroras happen when charged particles from the Sun, carried by the solar wind, are funneled by Earth's magnetic field toward the poles.",
            "The particles crash into gas in the upper atmosphere and make it glow.",
            "The common green color comes from oxygen atoms about 100 to 250 kilometers up, and rarer red light from oxygen even higher.",
            "Nitrogen adds blue and purple tints at the lower edge of the curtains.",
            "Strong solar storms can push auroras much farther from the poles than usual.",
            "Jupiter and Saturn have powerful auroras too, which the Hubble Space Telescope has photographed in ultraviolet light.",
        ],
    },
    {
        "questions": [
            "Why do deserts get so cold at night?",
            "Why is the Sahara a desert when it is near the equator?",
            "Is Antarctica really a desert?",
        ],
        "facts": [
            "Deserts are defined by how little rain they get, not by how hot they are.",
            "Dry desert air has little water vapor to trap heat, so after sunset the ground radiates its heat straight to space and temperatures plunge.",
            "Many large deserts, including the Sahara, sit around 30 degrees latitude, where air that rose near the equator sinks, warms and dries out.",
            "Antarctica receives so little snow each year that it is the largest desert on Earth.",
            "The Sahara was green with lakes and grasslands about 6,000 to 10,000 years ago, when small changes in Earth's orbit strengthened the monsoon.",
        ],
    },
    {
        "questions": [
            "What causes tsunamis?",
            "Why are tsunamis so destructive compared to normal waves?",
        ],
        "facts": [
            "Most tsunamis are caused by undersea earthquakes that suddenly lift or drop a large area of seafloor.",
            "Landslides and volcanic eruptions can also displace enough water to start one.",
            "In deep ocean a tsunami can race along at the speed of a jet plane while being less than a meter high.",
            "Near the shore the wave slows down and piles up, and the whole depth of the ocean is moving, not just the surface.",
            "Unlike a wind wave, a tsunami can keep surging inland for many minutes.",
            "If the sea suddenly pulls far back from the beach, that can be a warning that a tsunami is about to arrive.",
        ],
    },
]
