"""Chemistry: hand-written questions and facts for the bundled ELI5 sample."""

TOPICS = [
    {
        "questions": [
            "What is an atom made of?",
            "If atoms are mostly empty space, why can't I walk through walls?",
            "How small is an atom?",
        ],
        "facts": [
            "An atom has a tiny, dense nucleus of protons and neutrons surrounded by a cloud of electrons.",
            "The nucleus holds almost all of the atom's mass but is about 100,000 times smaller across than the atom itself.",
            "A typical atom is about a tenth of a nanometer wide, so a million atoms side by side would be thinner than a human hair.",
            "You cannot walk through walls because the electrons in your hand and in the wall repel each other electrically.",
            "The Pauli exclusion principle also stops electrons from piling into the same state, which makes matter resist being squeezed.",
            "The number of protons in the nucleus decides which element the atom is: one for hydrogen, six for carbon, 79 for gold.",
        ],
    },
    {
        "questions": [
            "How is the periodic table organized?",
            "Why do elements in the same column behave similarly?",
            "Are there still new elements being discovered?",
        ],
        "facts": [
            "The periodic table arranges the elements in order of their atomic number, the number of protons in the nucleus.",
            "Dmitri Mendeleev published an early version in 1869 and left gaps for elements that had not yet been discovered.",
            "Elements in the same column have the same number of electrons in their outer shell, and those outer electrons decide most of their chemistry.",
            "That is why sodium and potassium both react violently with water, and why helium, neon and argon are all unreactive noble gases.",
            "The heaviest elements, up to oganesson with 118 protons, were made in particle accelerators and last only fractions of a second.",
            "Scientists are still trying to make elements 119 and 120.",
        ],
    },
    {
        "questions": [
            "What is a chemical bond?",
            "What is the difference between ionic and covalent bonds?",
            "Why does salt dissolve in water but oil doesn't?",
        ],
        "facts": [
            "A chemical bond forms when atoms share or transfer electrons in a way that lowers their total energy.",
            "In a covalent bond two atoms share a pair of electrons, as the hydrogen and oxygen atoms in water do.",
            "In an ionic bond one atom gives an electron to another, and the resulting positive and negative ions attract each other, as in table salt.",
            "Water molecules are polar, with a slightly negative oxygen end and slightly positive hydrogen ends.",
            "Those charged ends surround and pull apart the sodium and chloride ions in salt, so salt dissolves.",
            "Oil molecules are nonpolar, so water molecules stick to each other rather than to the oil, and the two stay separate.",
        ],
    },
    {
        "questions": [
            "What does pH actually measure?",
            "What makes something an acid or a base?",
            "Why does mixing baking soda and vinegar fizz?",
        ],
        "facts": [
            "pH measures the concentration of hydrogen ions in a solution on a logarithmic scale.",
            "Each step on the pH scale is a factor of ten, so a solution with pH 3 is ten times more acidic than one with pH 4.",
            "Pure water has a pH of 7; acids are below 7 and bases, also called alkalis, are above 7.",
            "Acids release hydrogen ions in water, while bases take them up or release hydroxide ions.",
            "Baking soda is a base and vinegar contains acetic acid, and when they react they form carbonic acid, which breaks down into water and carbon dioxide gas.",
            "The fizzing you see is that carbon dioxide bubbling out.",
            "Your stomach acid has a pH of about 1.5 to 3.5, strong enough to help digest proteins and kill many microbes.",
        ],
    },
    {
        "questions": [
            "What is fire, chemically speaking?",
            "Why does fire need oxygen?",
            "Why are flames different colors?",
        ],
        "facts": [
            "Fire is a fast chemical reaction called combustion, in which a fuel combines with oxygen and releases heat and light.",
            "It needs three things, often called the fire triangle: fuel, oxygen and enough heat to keep the reaction going.",
            "Removing any one of them puts the fire out, which is how water, fire blankets and extinguishers work.",
            "The yellow glow of a candle comes from tiny hot particles of soot that glow like the filament of a light bulb.",
            "A blue flame burns hotter and more completely, with light coming from excited molecules rather than soot.",
            "Metal salts give flames characteristic colors, such as red from strontium and green from copper, which is how fireworks get their colors.",
        ],
    },
    {
        "questions": [
            "Why does iron rust?",
            "Why doesn't stainless steel rust?",
            "Why doesn't aluminum rust like iron does?",
        ],
        "facts": [
            "Rust forms when iron reacts with oxygen and water to make hydrated iron oxide.",
            "Salt speeds up rusting because it makes water conduct electricity better, which is why cars rust faster where roads are salted.",
            "Rust is flaky and porous, so it falls away and exposes fresh iron underneath, and the damage keeps going.",
            "Aluminum also reacts with oxygen, but it forms a thin, tough oxide layer that seals the metal and stops further corrosion.",
            "Stainless steel contains chromium, which forms a similar protective oxide film on the surface.",
            "Galvanizing coats steel with zinc, which corrodes first and protects the iron underneath.",
        ],
    },
    {
        "questions": [
            "What are catalysts and how do they work?",
            "What does a catalytic converter do in a car?",
            "How do enzymes speed up reactions?",
        ],
        "facts": [
            "A catalyst speeds up a chemical reaction without being used up itself.",
            "It works by offering a different pathway for the reaction with a lower activation energy, the energy hill the reactants have to climb.",
            "Enzymes are biological catalysts, usually proteins, that can speed up reactions in cells by millions of times.",
            "An enzyme's active site fits its target molecule closely and holds it in just the right position to react.",
            "A car's catalytic converter uses platinum, palladium and rhodium to turn carbon monoxide, nitrogen oxides and unburned fuel into carbon dioxide, nitrogen and water.",
            "The Haber process uses an iron catalyst to make ammonia for fertilizer, which feeds a large share of the world's population.",
        ],
    },
    {
        "questions": [
            "What is the difference between a physical change and a chemical change?",
            "Is dissolving sugar a chemical reaction?",
            "Why does cooking change food so much?",
        ],
        "facts": [
            "In a physical change a substance changes form but stays the same substance, as when ice melts into water.",
            "In a chemical change the atoms rearrange into new substances with different properties.",
            "Dissolving sugar in water is a physical change, because evaporating the water gives you the sugar back.",
            "Cooking causes many chemical changes; for example, heat unfolds the proteins in an egg white so they tangle together and set.",
            "The browning of toast and seared meat comes from the Maillard reaction between sugars and amino acids, which creates hundreds of flavor compounds.",
            "Signs of a chemical change include a color change, a gas being given off, light or heat, or a new solid forming.",
        ],
    },
    {
        "questions": [
            "Why is carbon so important for life?",
            "Why are diamond and graphite so different if both are pure carbon?",
            "Could life be based on silicon instead of carbon?",
        ],
        "facts": [
            "Carbon can form four strong bonds, so it can build long chains, rings and branching structures.",
            "That flexibility lets carbon form millions of different compounds, including proteins, fats, sugars and DNA.",
            "In diamond each carbon atom is bonded to four others in a rigid three-dimensional network, making it the hardest natural material.",
            "In graphite the carbon atoms form flat sheets that slide over each other easily, which is why pencil lead leaves marks on paper.",
            "A single sheet of graphite is called graphene, and it is extremely strong and conducts electricity very well.",
            "Silicon also forms four bonds, but its bonds with oxygen are so stable that it tends to end up locked in rocks, and silicon dioxide is a solid rather than a gas like carbon dioxide.",
        ],
    },
    {
        "questions": [
            "What is radioactivity?",
            "What does half-life mean?",
            "How does carbon dating work?",
        ],
        "facts": [
            "Radioactivity is the spontaneous breakdown of unstable atomic nuclei, which give off particles or energetic radiation as they decay.",
            "The half-life is the time it takes for half of the radioactive atoms in a sample to decay.",
            "We cannot predict when one particular atom will decay, but large numbers of atoms decay at a very predictable rate.",
            "Living things take in carbon-14 from the air and food, and when they die the carbon-14 slowly decays with a half-life of about 5,730 years.",
            "Measuring how much carbon-14 is left in bone, wood or cloth reveals its age, up to about 50,000 years.",
            "For rocks billions of years old, geologists use slower decays, such as uranium turning into lead.",
        ],
    },
    {
        "questions": [
            "Why does adding salt to ice make it colder?",
            "Why do we put salt on roads in winter?",
            "Why does salt water boil at a higher temperature?",
        ],
        "facts": [
            "Dissolved salt lowers the freezing point of water, so salty water stays liquid below zero degrees Celsius.",
            "That is why salt spread on roads melts ice, although it stops working well below about minus 10 degrees Celsius.",
            "When salt melts ice, the melting absorbs heat from its surroundings, so an ice and salt mixture gets colder than ice alone.",
            "Old-fashioned ice cream makers use that trick to freeze the cream.",
            "Dissolved salt also raises the boiling point of water, but the amount of salt used in cooking changes it by only a fraction of a degree.",
        ],
    },
    {
        "questions": [
            "How does soap clean things?",
            "Why does soap kill viruses like the coronavirus?",
            "Is hand sanitizer as good as soap and water?",
        ],
        "facts": [
            "Soap molecules have one end that is attracted to water and a long tail that is attracted to oils and grease.",
            "The oily tails bury themselves in grease and dirt, and the water-loving heads face outward, forming little bubbles called micelles that rinse away.",
            "Many viruses, including coronaviruses and flu, are wrapped in a fatty envelope.",
            "Soap pulls that fatty envelope apart, which destroys the virus.",
            "Alcohol-based hand sanitizers with at least 60 percent alcohol also kill many germs, but they do not remove dirt and work poorly on some, such as norovirus.",
            "Washing for about 20 seconds gives the soap time to do its work.",
        ],
    },
    {
        "questions": [
            "What are plastics made of?",
            "Why does plastic take so long to break down?",
            "What are microplastics?",
        ],
        "facts": [
            "Most plastics are polymers, long chains of repeating small molecules called monomers, usually made from oil or natural gas.",
            "Polyethylene, used in plastic bags, is simply a very long chain of carbon atoms with hydrogen attached.",
            "Few microbes have evolved enzymes that can break these bonds, so many plastics persist for decades or centuries.",
            "Sunlight and waves break plastic into smaller and smaller pieces rather than making it disappear.",
            "Pieces smaller than five millimeters are called microplastics, and they have been found from the deep sea to human blood.",
            "Researchers have discovered bacteria and enzymes that can break down some plastics such as PET, and are working to improve them.",
        ],
    },
    {
        "questions": [
            "Why do onions make you cry?",
            "Why does chili pepper feel hot?",
            "Why does mint feel cold?",
        ],
        "facts": [
            "When you cut an onion you break its cells, and enzymes turn sulfur compounds into a gas called syn-propanethial-S-oxide.",
            "That gas irritates the nerves in your eyes, and your tear glands respond by flushing them out.",
            "Chilling the onion first or using a very sharp knife reduces the amount of gas released.",
            "Chili peppers contain capsaicin, which activates the same pain receptor, TRPV1, that detects real heat.",
            "Your brain interprets that signal as burning even though the temperature has not changed.",
            "Menthol in mint works the same way on a cold receptor called TRPM8, which is why mint feels cool.",
        ],
    },
    {
        "questions": [
            "What makes gold so unreactive?",
            "Why is gold yellow when most metals are silver?",
        ],
        "facts": [
            "Gold is one of the least reactive metals, so it does not tarnish or rust and is often found as pure nuggets.",
            "Its outer electron is held tightly, partly because of relativistic effects on the fast-moving inner electrons of this heavy atom.",
            "The same relativistic effects shift how gold absorbs light, so it absorbs some blue light and reflects yellow.",
            "Without relativity, gold would look silvery like most other metals.",
            "Gold is so malleable that a single gram can be beaten into a sheet about one square meter in area.",
        ],
    },
]
