<?php
declare(strict_types=1);

namespace Mpe;

/** 9xx : avis eForms et DUME. */
class ErreurPublication extends ErreurMpe
{
}
