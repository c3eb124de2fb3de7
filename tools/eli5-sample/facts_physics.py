"""Physics: hand-written questions and facts for the bundled ELI5 sample."""

TOPICS = [
    {
        "questions": [
            "Why is the sky blue?",
            "Why are sunsets red and orange?",
            "If violet light scatters even more than blue, why isn't the sky violet?",
        ],
        "facts": [
            "Sunlight contains all the colors, and when it passes through the air, the tiny nitrogen and oxygen molecules scatter short blue wavelengths much more than long red ones.",
            "This is called Rayleigh scattering, and it sends blue light bouncing across the whole sky, so the sky looks blue from every direction.",
            "Violet light scatters even more, but sunlight contains less violet, some is absorbed high in the atmosphere, and our eyes are less sensitive to it.",
            "At sunset the light travels through much more air to reach you, so most of the blue is scattered out along the way.",
            "What is left is mostly red, orange and yellow light, which is why sunsets glow in warm colors.",
            "Dust and smoke in the air can make sunsets even more vivid.",
        ],
    },
    {
        "questions": [
            "How does a rainbow form?",
            "Why is a rainbow curved?",
            "Why is there sometimes a second, fainter rainbow?",
        ],
        "facts": [
            "A rainbow forms when sunlight enters raindrops, bends, reflects off the back of the drop, and bends again as it leaves.",
            "Each color bends by a slightly different amount, so white light spreads into a band of colors.",
            "The light comes back at an angle of about 42 degrees from the point directly opposite the Sun, and all the drops at that angle form a circle.",
            "The ground usually cuts off the lower part, which is why we normally see an arc; from an airplane you can sometimes see a full circle.",
            "A second, fainter rainbow appears when light reflects twice inside the drops, and its colors are in reverse order.",
            "To see a rainbow the Sun has to be behind you and rain has to be in front of you.",
        ],
    },
    {
        "questions": [
            "Why can't anything go faster than the speed of light?",
            "What happens to time when you move close to the speed of light?",
            "Is time dilation real or just a math trick?",
            "What does E = mc^2 actually mean?",
        ],
        "facts": [
            "According to Einstein's special relativity, the speed of light in a vacuum, about 300,000 kilometers per second, is the same for every observer.",
            "As an object with mass speeds up, it takes more and more energy to accelerate it further, and reaching light speed would take infinite energy.",
            "Moving clocks run slow compared with clocks at rest, an effect called time dilation.",
            "Time dilation is very real: muons created by cosmic rays high in the atmosphere survive long enough to reach the ground only because their clocks run slow.",
            "GPS satellites have to correct for both special and general relativity, or their positions would drift by kilometers each day.",
            "E = mc^2 says mass and energy are two forms of the same thing, and a small amount of mass corresponds to an enormous amount of energy.",
            "That relationship is what powers the Sun and nuclear reactors.",
        ],
    },
    {
        "questions": [
            "What is gravity, really?",
            "How does general relativity explain gravity?",
            "What are gravitational waves?",
        ],
        "facts": [
            "Newton described gravity as a force that pulls masses toward each other, getting weaker with the square of the distance.",
            "Einstein's general relativity describes gravity as the curving of space and time by mass and energy.",
            "Objects moving freely follow the straightest possible paths through that curved spacetime, which look like orbits and falling to us.",
            "Clocks run slightly slower deeper in a gravitational field, so a clock on a mountain ticks a tiny bit faster than one at sea level.",
            "Gravitational waves are ripples in spacetime produced when massive objects such as black holes spiral together.",
            "LIGO first detected gravitational waves in 2015, from two black holes merging over a billion light years away.",
            "The waves stretched and squeezed LIGO's four kilometer arms by less than the width of a proton.",
        ],
    },
    {
        "questions": [
            "What is quantum entanglement?",
            "Can entanglement be used to send messages faster than light?",
            "What does it mean that particles are also waves?",
        ],
        "facts": [
            "In quantum mechanics, particles such as electrons and photons also behave like waves, which is shown by the famous double slit experiment.",
            "Fired one at a time through two slits, electrons still build up an interference pattern, as if each one passed through both slits.",
            "Entangled particles share a single quantum state, so measuring one tells you what a measurement of the other will show, however far apart they are.",
            "Entanglement cannot be used to send messages, because each individual result is random and only the correlations show up when the results are compared.",
            "Experiments testing Bell's inequality showed that these correlations cannot be explained by hidden information the particles carried from the start.",
            "Entanglement is used in quantum computing and in quantum cryptography, where eavesdropping disturbs the shared state in a detectable way.",
        ],
    },
    {
        "questions": [
            "What is the Heisenberg uncertainty principle?",
            "Is the uncertainty principle just about measurement disturbing things?",
            "Why don't electrons fall into the nucleus?",
        ],
        "facts": [
            "The uncertainty principle says that the position and momentum of a particle cannot both be known exactly at the same time.",
            "It is not just a problem with our instruments; it comes from the wave nature of particles.",
            "A wave squeezed into a small region has to be made of a wide spread of wavelengths, which means a wide spread of momenta.",
            "That is part of why electrons do not spiral into the nucleus: confining an electron too tightly would give it a large momentum and energy.",
            "Electrons in atoms exist in orbitals, which are clouds of probability rather than little planetary orbits.",
            "The lowest energy orbital is as close as the electron can settle, so atoms are stable.",
        ],
    },
    {
        "questions": [
            "How do magnets work?",
            "Why are only some metals magnetic?",
            "What happens if you cut a magnet in half?",
        ],
        "facts": [
            "Magnetism comes from moving electric charges and from the spin of electrons, which makes each electron a tiny magnet.",
            "In most materials the electron magnets point in random directions or cancel out in pairs.",
            "In iron, nickel and cobalt, neighboring atoms line up their magnetic moments in regions called domains.",
            "When most domains point the same way, the whole piece of metal becomes a magnet.",
            "If you cut a magnet in half you get two smaller magnets, each with its own north and south pole; nobody has ever isolated a single pole.",
            "Heating a magnet above its Curie temperature scrambles the domains and it stops being magnetic.",
        ],
    },
    {
        "questions": [
            "What is electricity?",
            "How fast does electricity travel through a wire?",
            "What is the difference between voltage and current?",
            "Why does AC power come out of the wall instead of DC?",
        ],
        "facts": [
            "Electric current is a flow of electric charge, which in metal wires is carried by electrons.",
            "Voltage is the push that drives the charges, a bit like water pressure, and current is how much charge flows per second, like the flow rate.",
            "Individual electrons drift through a wire surprisingly slowly, often less than a millimeter per second.",
            "The signal travels fast because the electromagnetic field moves along the wire at a large fraction of the speed of light, pushing all the electrons at once.",
            "Power grids use alternating current because transformers can easily raise its voltage for long distance transmission and lower it again for homes.",
            "High voltage lines lose less energy as heat, because the same power can be carried with a smaller current.",
        ],
    },
    {
        "questions": [
            "What is temperature, actually?",
            "Is there a maximum temperature?",
            "What is absolute zero?",
        ],
        "facts": [
            "Temperature measures the average kinetic energy of the particles in a substance, how fast its atoms and molecules jiggle around.",
            "Absolute zero, minus 273.15 degrees Celsius or zero kelvin, is the temperature at which particles have the least possible energy.",
            "It can be approached but never quite reached, and labs have cooled atoms to billionths of a degree above it.",
            "Near absolute zero some materials become superconductors and some gases form a Bose-Einstein condensate, a strange state where atoms act as one quantum wave.",
            "There is no practical maximum temperature; particle colliders have created temperatures of trillions of degrees.",
            "Heat always flows from hotter objects to colder ones until they reach the same temperature.",
        ],
    },
    {
        "questions": [
            "What is entropy?",
            "Why does time only go forward?",
            "Why can't we build a perpetual motion machine?",
        ],
        "facts": [
            "Entropy is a measure of how many microscopic arrangements match what we see, which is often described loosely as disorder.",
            "The second law of thermodynamics says the total entropy of an isolated system never decreases.",
            "There are vastly more messy arrangements than tidy ones, so systems drift toward messier states simply by chance.",
            "This one-way increase in entropy is why we remember the past and not the future, and why eggs break but do not unbreak.",
            "A perpetual motion machine is impossible because energy cannot be created from nothing, and some energy is always lost as heat in any real machine.",
            "Living things can create local order, but only by increasing entropy more elsewhere, for example by releasing heat.",
        ],
    },
    {
        "questions": [
            "Why does ice float?",
            "Why is water densest at 4 degrees Celsius?",
            "Why do pipes burst in winter?",
        ],
        "facts": [
            "Most substances are denser as solids than as liquids, but water is an important exception.",
            "When water freezes, hydrogen bonds lock the molecules into an open hexagonal lattice that takes up more space than liquid water.",
            "Ice is about nine percent less dense than liquid water, so it floats.",
            "Liquid water is densest at about 4 degrees Celsius, so in winter the coldest water rises and freezes at the surface of lakes.",
            "The floating ice insulates the water below, which lets fish survive the winter.",
            "Water expands as it freezes, and that expansion can split rocks and burst water pipes.",
        ],
    },
    {
        "questions": [
            "How do airplanes stay in the air?",
            "Is the equal transit time explanation of lift wrong?",
            "How can a plane fly upside down?",
        ],
        "facts": [
            "A wing makes lift by turning the air flowing past it downward, and by Newton's third law the air pushes the wing up.",
            "The air pressure above the wing is lower than below it, and the air on top really does move faster.",
            "The popular story that air over the top must take the same time as air underneath is wrong; the air over the top actually arrives earlier.",
            "The angle at which the wing meets the oncoming air, called the angle of attack, matters as much as the shape of the wing.",
            "That is why planes can fly upside down: the pilot tilts the nose so the wing still deflects air downward.",
            "If the angle gets too steep the airflow separates from the wing and it stalls, losing most of its lift.",
        ],
    },
    {
        "questions": [
            "How does a microwave oven heat food?",
            "Is microwave radiation dangerous?",
            "Why does metal spark in a microwave?",
        ],
        "facts": [
            "A microwave oven produces radio waves at about 2.45 gigahertz that make water molecules in food rotate back and forth.",
            "That jostling turns into heat, warming the food from the water it contains.",
            "Microwaves are non-ionizing radiation: they can heat things, but they do not have enough energy to break chemical bonds or damage DNA the way X-rays can.",
            "The metal mesh in the door has holes smaller than the wavelength, so the microwaves stay inside while visible light gets out.",
            "Sharp metal edges can concentrate the electric field enough to ionize the air and make sparks.",
            "Food heated in a microwave is not radioactive, and the waves stop the moment the oven switches off.",
        ],
    },
    {
        "questions": [
            "How does nuclear fission produce energy?",
            "What is the difference between fission and fusion?",
            "Why is fusion power so hard to achieve?",
        ],
        "facts": [
            "In nuclear fission a heavy nucleus such as uranium-235 absorbs a neutron and splits into two smaller nuclei, releasing energy and more neutrons.",
            "Those neutrons can split further nuclei in a chain reaction, which a reactor controls with control rods that absorb neutrons.",
            "Fusion joins light nuclei such as hydrogen isotopes into helium, which is how the Sun makes its energy.",
            "In both cases the products have slightly less mass than what went in, and the missing mass becomes energy.",
            "Fusion needs temperatures over 100 million degrees so that the nuclei move fast enough to overcome their electrical repulsion.",
            "Holding a plasma that hot is hard; reactors such as tokamaks use strong magnetic fields to keep it away from the walls.",
            "In 2022 the National Ignition Facility got more energy out of a fusion reaction than the lasers delivered to the fuel, an important milestone.",
        ],
    },
    {
        "questions": [
            "Why do we hear thunder after we see lightning?",
            "How fast does sound travel?",
            "Why does sound travel faster in water than in air?",
        ],
        "facts": [
            "Light travels about a million times faster than sound, so the flash of lightning reaches you almost instantly.",
            "Sound moves through air at about 343 meters per second, which is roughly a kilometer every three seconds.",
            "Counting the seconds between the flash and the thunder and dividing by three gives the distance to the strike in kilometers.",
            "Thunder itself is the shock wave made when lightning heats the air to around 30,000 degrees Celsius in a split second.",
            "Sound is a pressure wave that needs a medium to travel through, so it cannot cross the vacuum of space.",
            "In water sound travels about four times faster than in air, because the molecules are packed closely and push on each other strongly.",
        ],
    },
    {
        "questions": [
            "What is a laser and how is it different from ordinary light?",
            "Why can lasers be so dangerous to eyes?",
        ],
        "facts": [
            "Laser stands for light amplification by stimulated emission of radiation.",
            "In a laser, atoms are pumped into an excited state and then triggered to release photons that match each other exactly in wavelength and direction.",
            "Mirrors bounce the light back and forth through the material so it builds up before a beam escapes.",
            "Laser light is a single color, and its waves are in step with one another, which lets the beam stay narrow over long distances.",
            "Because the beam is so concentrated, the lens of the eye can focus it onto a tiny spot on the retina and burn it.",
            "Lasers are used in barcode scanners, fiber optic communication, surgery and cutting metal.",
        ],
    },
    {
        "questions": [
            "Why do objects fall at the same speed regardless of mass?",
            "Would a feather and a hammer really fall together on the Moon?",
            "What is terminal velocity?",
        ],
        "facts": [
            "Gravity pulls harder on heavier objects, but heavier objects also need more force to accelerate, and the two effects cancel exactly.",
            "Without air resistance every object near Earth's surface accelerates at about 9.8 meters per second squared.",
            "On the Apollo 15 mission astronaut David Scott dropped a hammer and a feather on the airless Moon, and they hit the ground together.",
            "On Earth air resistance slows light, spread-out objects such as feathers much more than dense ones.",
            "As a falling object speeds up, air resistance grows until it balances the weight; from then on the object falls at a steady terminal velocity.",
            "A skydiver in a belly-down position reaches a terminal velocity of about 200 kilometers per hour.",
        ],
    },
]
