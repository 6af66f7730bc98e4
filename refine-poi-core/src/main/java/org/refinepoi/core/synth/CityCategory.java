package org.refinepoi.core.synth;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The built-in category catalogue of the synthetic city: 60 Foursquare-style category names in nine
 * families. Within a family the categories are listed from most to least common (POIs draw their
 * category with a Zipf-like preference for the first ones), and a few families carry a sub-group
 * that the daily routines use (coffee versus lunch versus dinner places, groceries versus retail,
 * campus versus culture).
 *
 * @param id the category id written into {@link org.refinepoi.core.data.Poi#categoryId()}
 * @param name the category name
 * @param family the family
 * @param group the sub-group within the family used by routines
 */
record CityCategory(String id, String name, Family family, Group group) {

  /** Category families, the coarse kinds of place that neighbourhoods mix. */
  enum Family {
    HOME,
    WORK,
    TRANSIT,
    FOOD,
    NIGHTLIFE,
    SHOPPING,
    OUTDOORS,
    FITNESS,
    ARTS_EDUCATION
  }

  /** Sub-groups that routines ask for; {@code ANY} for families used as a whole. */
  enum Group {
    ANY,
    COFFEE,
    LUNCH,
    DINNER,
    GROCERY,
    RETAIL,
    CAMPUS,
    CULTURE
  }

  /** All categories, in a fixed order (the order of their ids). */
  static final ImmutableList<CityCategory> ALL = build();

  private static ImmutableList<CityCategory> build() {
    ImmutableList.Builder<CityCategory> all = ImmutableList.builder();
    int[] next = {0};
    add(
        all,
        next,
        Family.HOME,
        Group.ANY,
        List.of("Home (private)", "Residential Building (Apartment / Condo)", "Neighborhood"));
    add(
        all,
        next,
        Family.WORK,
        Group.ANY,
        List.of(
            "Office",
            "Coworking Space",
            "Tech Startup",
            "Bank",
            "Government Building",
            "Medical Center"));
    add(
        all,
        next,
        Family.TRANSIT,
        Group.ANY,
        List.of("Subway", "Train Station", "Bus Station", "Bus Stop", "Ferry"));
    add(
        all,
        next,
        Family.FOOD,
        Group.COFFEE,
        List.of("Coffee Shop", "Café", "Bakery", "Bagel Shop"));
    add(
        all,
        next,
        Family.FOOD,
        Group.LUNCH,
        List.of("Sandwich Place", "Deli / Bodega", "Fast Food Restaurant", "Pizza Place"));
    add(
        all,
        next,
        Family.FOOD,
        Group.DINNER,
        List.of(
            "American Restaurant",
            "Italian Restaurant",
            "Chinese Restaurant",
            "Mexican Restaurant",
            "Sushi Restaurant",
            "Diner",
            "Burger Joint"));
    add(
        all,
        next,
        Family.NIGHTLIFE,
        Group.ANY,
        List.of(
            "Bar",
            "Pub",
            "Cocktail Bar",
            "Wine Bar",
            "Nightclub",
            "Music Venue",
            "Brewery",
            "Karaoke Bar"));
    add(
        all,
        next,
        Family.SHOPPING,
        Group.GROCERY,
        List.of("Grocery Store", "Supermarket", "Drugstore / Pharmacy"));
    add(
        all,
        next,
        Family.SHOPPING,
        Group.RETAIL,
        List.of(
            "Clothing Store",
            "Shopping Mall",
            "Bookstore",
            "Electronics Store",
            "Furniture / Home Store"));
    add(
        all,
        next,
        Family.OUTDOORS,
        Group.ANY,
        List.of("Park", "Playground", "Plaza", "Garden", "Scenic Lookout"));
    add(
        all,
        next,
        Family.FITNESS,
        Group.ANY,
        List.of("Gym / Fitness Center", "Yoga Studio", "Climbing Gym", "Pool", "Tennis Court"));
    add(all, next, Family.ARTS_EDUCATION, Group.CAMPUS, List.of("University", "Library"));
    add(
        all,
        next,
        Family.ARTS_EDUCATION,
        Group.CULTURE,
        List.of("Museum", "Movie Theater", "Art Gallery", "Theater"));
    return all.build();
  }

  private static void add(
      ImmutableList.Builder<CityCategory> all,
      int[] next,
      Family family,
      Group group,
      List<String> names) {
    for (String name : names) {
      all.add(new CityCategory("syn-cat-%02d".formatted(next[0]++), name, family, group));
    }
  }
}
